/** The ZIP record signatures and field limits (APPNOTE 4.3), shared by the writer (records.ts) and the reader. */
export const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
} as const;

/** A 32-bit field at this value means "see the ZIP64 extra field". */
export const U32_MAX = 0xffffffff;
/** A 16-bit count at this value means "see the ZIP64 end record". */
export const U16_MAX = 0xffff;
/** The ZIP64 extended information extra field's id. */
export const ZIP64_EXTRA = 0x0001;
