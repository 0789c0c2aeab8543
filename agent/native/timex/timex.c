/*
 * adjtimex(2) for the timex collector: the kernel's clock discipline state has no file in
 * /proc or /sys, so this is the one value the agent reads through a system call.
 * Read-only: the struct is zeroed, so modes == 0 and nothing is changed.
 */
#include <errno.h>
#include <string.h>
#include <sys/timex.h>
#include <node_api.h>

static void set_number(napi_env env, napi_value object, const char *name, double value) {
  napi_value number;
  napi_create_double(env, value, &number);
  napi_set_named_property(env, object, name, number);
}

static napi_value read_timex(napi_env env, napi_callback_info info) {
  (void)info;
  struct timex t;
  memset(&t, 0, sizeof t);
  int state = adjtimex(&t);
  if (state == -1) {
    napi_throw_error(env, errno == EPERM ? "EPERM" : "EIO", strerror(errno));
    return NULL;
  }
  napi_value out;
  napi_create_object(env, &out);
  set_number(env, out, "state", state);
  set_number(env, out, "status", t.status);
  set_number(env, out, "offset", (double)t.offset);
  set_number(env, out, "freq", (double)t.freq);
  set_number(env, out, "maxerror", (double)t.maxerror);
  set_number(env, out, "esterror", (double)t.esterror);
  set_number(env, out, "constant", (double)t.constant);
  set_number(env, out, "tick", (double)t.tick);
  set_number(env, out, "ppsfreq", (double)t.ppsfreq);
  set_number(env, out, "jitter", (double)t.jitter);
  set_number(env, out, "shift", t.shift);
  set_number(env, out, "stabil", (double)t.stabil);
  set_number(env, out, "jitcnt", (double)t.jitcnt);
  set_number(env, out, "calcnt", (double)t.calcnt);
  set_number(env, out, "errcnt", (double)t.errcnt);
  set_number(env, out, "stbcnt", (double)t.stbcnt);
  set_number(env, out, "tai", t.tai);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "read", NAPI_AUTO_LENGTH, read_timex, NULL, &fn);
  napi_set_named_property(env, exports, "read", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
