/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "sysrun-config.h"

int cmd_features(int argc, char **argv) {
        if (cli_check_args(argv[0], argc - 1, 0, 0) != 0)
                return EXIT_FAILURE;
        /* Only what works today (runtime-spec features.md). */
        printf("{\n"
               "    \"ociVersionMin\": \"1.0.0\",\n"
               "    \"ociVersionMax\": \"%s\",\n"
               "    \"hooks\": [],\n"
               "    \"mountOptions\": [\"async\", \"atime\", \"bind\", \"defaults\", \"dev\", \"diratime\", "
               "\"dirsync\", \"exec\", \"lazytime\", \"loud\", \"mand\", \"noatime\", \"nodev\", \"nodiratime\", "
               "\"noexec\", \"nolazytime\", \"nomand\", \"norelatime\", \"nostrictatime\", \"nosuid\", "
               "\"private\", \"rbind\", \"relatime\", \"remount\", \"ro\", \"rprivate\", \"rshared\", "
               "\"rslave\", \"runbindable\", \"rw\", \"shared\", \"silent\", \"slave\", \"strictatime\", "
               "\"suid\", \"sync\", \"unbindable\"],\n"
               "    \"linux\": {\n"
               "        \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"time\", \"user\", "
               "\"uts\"],\n"
               "        \"cgroup\": { \"v1\": false, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
               "        \"seccomp\": { \"enabled\": false },\n"
               "        \"apparmor\": { \"enabled\": false },\n"
               "        \"selinux\": { \"enabled\": false },\n"
               "        \"intelRdt\": { \"enabled\": false }\n"
               "    }\n"
               "}\n",
               SYSRUN_OCI_VERSION);
        return EXIT_SUCCESS;
}

int cmd_not_implemented(int argc, char **argv) {
        return cli_failf("'%s' is not implemented yet", argv[0]);
}
