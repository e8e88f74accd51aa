/* SPDX-License-Identifier: Apache-2.0 */
/* restore: a container made around criu's restored processes instead of a forked init. */
#include <sched.h>

#include "create-context.h"
#include "fd-util.h"
#include "machine.h"
#include "namespaces.h"
#include "proc.h"
#include "terminal.h"

static int container_register_machine(ContainerState *s, CgroupManagerType t, pid_t pid, SysrunError *e) {
        int r;

        if (t != CGROUP_MANAGER_SYSTEMD || !machine_wanted(s->annotations, s->no_machine))
                return 0;
        r = machine_register(s, pid);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot register the restored container with systemd-machined: %m");
        return 0;
}

/* restore: state, scope and machine as create makes them, around criu instead of an init. */
static int restore_internal(CreateContext *c, const ContainerRestoreRunner *runner, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        NamespacePlan plan;
        pid_t init;
        int r;

        r = create_begin(c, e);
        if (r < 0)
                return r;
        r = namespaces_plan(c->config, &plan, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        r = c->manager->check(c->config, o->manager_explicit, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        c->rootfd = state_root_open(o->root, true, e);
        if (c->rootfd < 0)
                return c->rootfd;
        r = create_state_init(c, e);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot set up state: %m");
        c->state->own_pidns = (plan.new_flags & CLONE_NEWPID) != 0;
        /* Registered below with the restored init as its leader, not criu. */
        c->state->no_machine = true;
        r = create_state_dir_make(c, e);
        if (r < 0)
                return r;

        r = runner->spawn(runner->userdata, c->state, &c->pid, e);
        if (r < 0)
                return r;
        c->pid_is_child = true;
        r = proc_stat(c->pid, NULL, &c->state->pid_start_time);
        c->pidfd = r < 0 ? r : pidfd_open_checked(c->pid, c->state->pid_start_time);
        if (c->pidfd < 0)
                return sysrun_error_set(e, c->pidfd, "the criu runner exited at once: %m");
        c->cgroup_entered = true;
        r = c->manager->enter(c->config, c->state, c->pid, e);
        if (r < 0)
                return r;
        /* finish() reaps the runner: from here c->pid is the restored init. */
        c->pidfd = safe_close(c->pidfd);
        r = runner->finish(runner->userdata, c->state, &init, e);
        c->pid = 0;
        if (r < 0)
                return r;
        c->pid = init;
        c->pid_is_child = false;
        r = proc_stat(init, NULL, &c->state->pid_start_time);
        if (r >= 0)
                c->pidfd = pidfd_open_checked(init, c->state->pid_start_time);
        if (r < 0 || c->pidfd < 0)
                return sysrun_error_set(e, r < 0 ? r : c->pidfd, "the restored init (pid %d) is gone", (int) init);
        c->state->pid = init;
        c->state->stored_status = CONTAINER_CREATED; /* without exec.fifo: running */
        c->state->no_machine = o->no_machine || c->state->rootless;
        r = container_register_machine(c->state, o->manager, init, e);
        if (r < 0)
                return r;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        return process_publish(o->pid_file, o->pidfd_socket, init, c->pidfd, "standard", e);
}

int container_create_restored(const ContainerCreateOptions *o, const ContainerRestoreRunner *runner,
                              pid_t *ret_pid, SysrunError *e) {
        /* CREATE_CONTEXT_INIT: a field left 0 here (abort_fd was) would close stdin when done. */
        _cleanup_(create_context_done) CreateContext c = CREATE_CONTEXT_INIT(o);
        int r;

        r = restore_internal(&c, runner, e);
        if (r < 0) {
                create_context_abort(&c);
                return r;
        }
        *ret_pid = c.pid;
        return 0;
}
