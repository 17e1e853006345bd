// Controller: what the ControllerManager starts and stops. A controller registers its informers
// and event handlers with the shared informer factory when it is constructed; Start begins its
// workers once those informers synced.
//
// Thread-safety: Start and Stop are called by the owner (the manager), from one thread.
#pragma once

namespace kc::controllers {

class Controller {
 public:
  virtual ~Controller() = default;
  // The name used by --disable-controllers, e.g. "garbagecollector".
  virtual const char* name() const = 0;
  // Returns at once; `workers` threads start syncing after the informers synced.
  virtual void Start(int workers) = 0;
  // Stops the workers and joins every thread the controller started. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace kc::controllers
