/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Copies a directory tree between two open directories, for tmpcopyup. */

/* Deeper trees are refused (-ELOOP): the source is the container's, and each level holds fds. */
#define COPY_TREE_MAX_DEPTH 128

/* Copies everything in src_dir into dst_dir (both directory fds; dst_dir is expected to be empty):
 * regular files with their contents, directories, symlinks (never followed), device nodes, fifos
 * and sockets, each with its owner, mode (set-id bits included), timestamps and extended
 * attributes. Hard links become separate files. On failure, *ret_failed_path (when not NULL) is the
 * entry that failed, relative to src_dir (NULL if out of memory). */
int copy_tree_at(int src_dir, int dst_dir, char **ret_failed_path);
