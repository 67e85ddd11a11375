#ifndef SWITCHBOARD_CZEROMQ_SHIM_H
#define SWITCHBOARD_CZEROMQ_SHIM_H
// Debian's libzmq3-dev: the stable API only (no ZMQ_BUILD_DRAFT_API).
#include <zmq.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <signal.h>
#endif
