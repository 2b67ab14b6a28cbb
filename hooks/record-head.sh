# From hooks/record-head.sh (post-commit and post-merge): HEAD is queued for the active session, and a background
# specmap process records it.
node=@SPECMAP_NODE@
entry=@SPECMAP_ENTRY@
active=0
for f in @ACTIVE_SESSIONS_GLOB@; do
  case "$f" in
    *'*'* | *-restored/session.yaml) ;;
    *) active=$((active + 1)) ;;
  esac
done
if [ "$active" -eq 0 ]; then
  # No session: only a cherry-pick of a commit with a line attribution note is queued (its note follows it).
  git rev-parse -q --verify @NOTES_REF@ >/dev/null 2>&1 || exit $status
  case "$(git reflog -1 --format=%gs 2>/dev/null)" in cherry-pick*) ;; *) exit $status ;; esac
fi
if [ "$active" -gt 1 ] && [ -z "$SPECMAP_SESSION" ]; then
  echo "specmap: $active "@MSG_SEVERAL_SESSIONS@ >&2
  exit $status
fi

{ read -r gitdir && read -r head; } <<REVS
$(git rev-parse --git-dir HEAD 2>/dev/null)
REVS
[ -n "$head" ] || exit $status
queue="$gitdir/"@PENDING_COMMITS_FILE@
mkdir -p "${queue%/*}" 2>/dev/null &&
  printf '%s %s\n' "$head" "$SPECMAP_SESSION" >> "$queue" || exit $status
if [ "$SPECMAP_BACKGROUND" != 0 ] && [ -f "$entry" ] && [ -x "$node" ]; then
  ( "$node" "$entry" post-commit </dev/null >/dev/null 2>>"${queue%/*}/hooks.log" & ) 2>/dev/null
fi
exit $status
