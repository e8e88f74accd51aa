/* SPDX-License-Identifier: Apache-2.0 */
/* syscall-errno NR...: makes each raw syscall with harmless arguments (-1, NULL, 0, …) and prints
 * "NR ERRNO" (0 when it succeeded). Static, so that it runs in a busybox rootfs; the tests use it
 * to see what a seccomp filter answers for syscalls that busybox never makes (clone3, openat2). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                long nr = strtol(argv[i], NULL, 10);
                long r = syscall(nr, -1L, NULL, 0L, 0L, 0L, 0L);
                printf("%ld %d\n", nr, r < 0 ? errno : 0);
        }
        return 0;
}
