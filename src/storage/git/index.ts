/** The only module that runs git. Everything above it calls these functions, never child_process. */
export { findRepo, initRepo, type RepoPaths } from './repo.js';
export { headCommit, resolveCommit, emptyTree, commitTree, pathInCommit, userIdentity, type CommitTreeOptions } from './objects.js';
export { updateRef, deleteRef, listRefs, readRef, type RefEntry } from './refs.js';
export { parseRefList } from './parse/for-each-ref.js';
export { GitCommandError } from './run.js';
export { commitAll, listWorktrees, branchCheckedOutElsewhere, type WorktreeEntry } from './worktree.js';
export { snapshotTree, forgetSavedIndex, changedFiles, treeChildren, treeOf, hasObject, type TreeChange, type ChangeStatus, type SnapshotTreeOptions } from './snapshot.js';
export { listTree, type TreeEntry } from './tree-read.js';
export { createAnnotatedTag, type AnnotatedTagOptions } from './tags.js';
export { diffText, existingObjects, type DiffOptions } from './diff.js';
export { commitChanges, stagedPaths, hooksDir, configValue, commitsBetween, trailer, type CommitChange, type CommitInfo } from './commits.js';
export { archiveZip } from './archive.js';
export { defaultRemote, checkRemote, pushRefs, fetchRefs, folderTree, showFile, type PushedRef } from './remote.js';
export { mergeTrees, treeWithPathsFrom, advanceIndex, currentBranch, type MergeTreeResult } from './merge.js';
export { checkoutFiles } from './checkout.js';
export { scratchPath, tempIndexPath } from './temp-index.js';
