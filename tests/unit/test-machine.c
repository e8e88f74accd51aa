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
