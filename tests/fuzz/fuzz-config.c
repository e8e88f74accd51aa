/* SPDX-License-Identifier: Apache-2.0 */
/* config.json text → OciConfig (oci_config_parse_string), and the same text through the two other
 * entry points that take caller JSON: `exec -p process.json` and `update -r resources.json`. */

#include <assert.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_string(data, size);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        OciProcess *p = NULL;
        OciResources *res = NULL;
        int r;

        if (!text)
                return 0;

        /* A failure leaves *ret alone and always says why (the CLI prints the message). */
        r = oci_config_parse_string(text, &c, &e);
        assert(r < 0 ? !c && e.msg : c && !e.msg);
        c = oci_config_free(c);
        sysrun_error_done(&e);

        r = oci_process_parse_string(text, &p, &e);
        assert(r < 0 ? !p && e.msg : p && !e.msg);
        p = oci_process_free(p);
        sysrun_error_done(&e);

        r = oci_resources_parse_string(text, &res, &e);
        assert(r < 0 ? !res && e.msg : res && !e.msg);
        res = oci_resources_free(res);
        sysrun_error_done(&e);
        return 0;
}
