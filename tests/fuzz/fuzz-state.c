/* SPDX-License-Identifier: Apache-2.0 */
/* state.json text → ContainerState (state_parse), then the state JSON that `state` prints. */

#include <assert.h>

#include "fuzz.h"
#include "state.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_string(data, size);
        SysrunError e = SYSRUN_ERROR_NULL;
        ContainerState *s = NULL;
        int r;

        if (!text)
                return 0;
        r = state_parse(text, &s, &e);
        assert(r < 0 ? !s && e.msg : s && !e.msg);
        sysrun_error_done(&e);
        if (s) {
                assert(s->id && s->stored_status >= 0 && s->stored_status < _CONTAINER_STATUS_MAX);
                for (bool pretty = false;; pretty = true) {
                        char *json = state_to_json(s, s->stored_status, pretty);

                        assert(json);
                        free(json);
                        if (pretty)
                                break;
                }
        }
        container_state_free(s);
        return 0;
}
