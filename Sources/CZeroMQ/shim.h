#ifndef SWITCHBOARD_CZEROMQ_SHIM_H
#define SWITCHBOARD_CZEROMQ_SHIM_H
// Debian's libzmq3-dev: the stable API only (no ZMQ_BUILD_DRAFT_API).
#include <zmq.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

// prctl is variadic, which Swift cannot call: this wrapper fixes its arguments.

/// Names the calling thread (Linux keeps 15 bytes), so `ps -L` and tests can find it.
static inline int switchboard_name_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
#endif
