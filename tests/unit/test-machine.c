/* SPDX-License-Identifier: Apache-2.0 */
#include "machine.h"
#include "tests.h"

TEST(machine_names) {
        static const struct {
                const char *name;
                bool valid;
        } table[] = {
                { "c1", true },
                { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true },
                { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", false },
                { "a.b-c_d", true },
                { ".hidden", false },
                { "a..b", false },
                { "a+b", false },
                { "", false },
                { "a/b", false },
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
                ASSERT_EQ(machine_name_is_valid(table[i].name), table[i].valid);
        ASSERT_FALSE(machine_name_is_valid(NULL));
}

DEFINE_TEST_MAIN()

TEST(libsystemd_load) {
        /* Nothing is resolved before the first load; loading twice is a no-op. */
        ASSERT_NULL(sym_sd_bus_call);
        ASSERT_OK(libsystemd_load(NULL));
        ASSERT_NOT_NULL(sym_sd_bus_call);
        ASSERT_NOT_NULL(sym_sd_bus_message_unref);
        ASSERT_NOT_NULL(sym_sd_bus_error_free);
        ASSERT_OK(libsystemd_load(NULL));
        {
                /* The cleanups work through the pointers. */
                _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_(sym_sd_bus_unrefp) sd_bus *bus = NULL;
                ASSERT_OK(sym_sd_bus_new(&bus));
                ASSERT_FALSE(sym_sd_bus_error_is_set(&error));
        }
}
