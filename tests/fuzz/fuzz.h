/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Shared by the libFuzzer targets: inputs as C strings, and a silent library log. Every target
 * frees all it gets, so that LeakSanitizer reports only the library's own leaks. */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void fuzz_log_drop(int level, const char *msg) {
}

/* A NUL-terminated copy (an embedded NUL ends the text, as it would for a file read as a string). */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);

        if (!s)
                return NULL;
        memcpy(s, data, size);
        s[size] = 0;
        return s;
}

/* The input's lines (split at '\n'; no empty last line after a final '\n') as a string vector. */
static inline char **fuzz_lines(const uint8_t *data, size_t size) {
        size_t n = 0, k = 0, start = 0;
        char **l;

        for (size_t i = 0; i < size; i++)
                n += data[i] == '\n';
        l = calloc(n + 2, sizeof(char *));
        if (!l)
                return NULL;
        for (size_t i = 0; i <= size; i++) {
                if (i < size && data[i] != '\n')
                        continue;
                if (i == size && start == size && size > 0)
                        break;
                l[k] = fuzz_string(data + start, i - start);
                if (!l[k])
                        return strv_free(l);
                k++;
                start = i + 1;
        }
        return l;
}

/* The library's log goes nowhere, but every message is still formatted (debug included). */
static inline void fuzz_log_silence(void) {
        sysrun_log_set_handler(fuzz_log_drop, LOG_DEBUG);
}
