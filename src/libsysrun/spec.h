/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stdbool.h>

#include "error.h"

/* The default config.json `sysrun spec` writes: runc 1.1's template (same fields, order and
 * values, but ociVersion "1.2.0"), or its --rootless variant. Returns a newly allocated,
 * tab-indented JSON text with a trailing newline. */
int spec_generate(bool rootless, char **ret_json, SysrunError *reterr_error);
