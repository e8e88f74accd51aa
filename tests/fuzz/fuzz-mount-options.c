/* SPDX-License-Identifier: Apache-2.0 */
/* A mount's "options" (one per line) → MountOptions (mount_options_parse), and each option as a
 * linux.rootfsPropagation value (propagation_from_string). */

#include <assert.h>
#include <sys/mount.h>

#include "fuzz.h"
#include "mounts.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **options = fuzz_lines(data, size);
        _cleanup_(mount_options_done) MountOptions o = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        unsigned long prop;
        int r;

        if (!options)
                return 0;
        r = mount_options_parse(options, &o, &e);
        assert(r < 0 ? !!e.msg : !e.msg);
        sysrun_error_done(&e);
        if (r >= 0) {
                /* An option never both sets and clears a flag. */
                assert((o.flags & o.clear_flags) == 0);
                assert(!o.recursive_bind || o.bind);
        }
        STRV_FOREACH(opt, options)
                if (propagation_from_string(*opt, &prop) >= 0)
                        assert(prop & (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE));
        return 0;
}
