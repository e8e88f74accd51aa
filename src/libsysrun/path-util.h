/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Lexical path operations, as Go's path/filepath does them (runc's messages show such paths). */

/* a and b joined with one "/" and cleaned as filepath.Clean does: repeated slashes and "." elements
 * go, an inner ".." takes the element before it, a ".." at the root is the root; an empty result is
 * ".". b may be NULL (a alone, cleaned). NULL on OOM. Pure. */
char *path_join_clean(const char *a, const char *b);
