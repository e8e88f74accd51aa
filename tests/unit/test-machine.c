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
                { "a.b-c", true },
                { "a_b", false },
                { "-a", false },
                { "a-", false },
                { "a.-b", false },
                { "a-.b", false },
                { "a.", false },
                { "A-9.x", true },
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

static void check_from_id(const char *id, const char *expected) {
        _cleanup_free_ char *n = NULL;

        ASSERT_OK(machine_name_from_id(id, &n));
        ASSERT_STREQ(n, expected);
        ASSERT_TRUE(machine_name_is_valid(n));
}

TEST(machine_name_from_id) {
        char long_id[71];

        check_from_id("c1", "c1");
        check_from_id("a.b", "a.b");
        /* Distinct ids that sanitize alike stay distinct, through the hash of the whole id. */
        check_from_id("a_b", "a-b-1ba46871");
        check_from_id("a+b", "a-b-1298c425");
        check_from_id("_x_", "x-04175547");
        check_from_id("___", "sysrun-045a3b34");
        check_from_id("a..b", "a-b-91beab8e");
        memset(long_id, 'a', 70);
        long_id[70] = 0;
        check_from_id(long_id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-5904740b");
        ASSERT_EQ(strlen("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-5904740b"), 64u);
}

TEST(machine_wanted) {
        char *none[] = { NULL };
        char *off[] = { (char *) MACHINE_ANNOTATION, (char *) "false", NULL };
        char *on[] = { (char *) MACHINE_ANNOTATION, (char *) "true", NULL };

        ASSERT_TRUE(machine_wanted(none, false));
        ASSERT_TRUE(machine_wanted(NULL, false));
        ASSERT_FALSE(machine_wanted(none, true));
        ASSERT_FALSE(machine_wanted(off, false));
        ASSERT_TRUE(machine_wanted(on, false));
        ASSERT_FALSE(machine_wanted(on, true));
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
