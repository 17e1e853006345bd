/* pause: PID 1 of every kcluster pod sandbox.
 *
 * Holds the pod's namespaces open until the runtime kills it. As PID 1 of the pod's PID
 * namespace it must reap orphaned children (SIGCHLD -> waitpid loop), or zombies pile up in
 * pods that share their PID namespace. SIGTERM/SIGINT end it cleanly.
 * Built by scripts/build-images.sh with `gcc -static -Os -s`.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_terminate(int sig) {
  (void)sig;
  _exit(0);
}

static void on_child(int sig) {
  int saved_errno = errno;
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved_errno;
}

static int install(int sig, void (*handler)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = handler;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  return sigaction(sig, &sa, NULL);
}

int main(void) {
  if (install(SIGINT, on_terminate, 0) != 0 || install(SIGTERM, on_terminate, 0) != 0 ||
      install(SIGCHLD, on_child, SA_NOCLDSTOP | SA_RESTART) != 0) {
    static const char msg[] = "pause: cannot install signal handlers\n";
    (void)!write(2, msg, sizeof(msg) - 1);
    return 1;
  }
  for (;;) pause();
}
