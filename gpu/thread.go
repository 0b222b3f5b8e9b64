//go:build cgo

package gpu

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// glThread owns a GL context: one goroutine locked to its OS thread for its whole life, which runs
// every GL call sent to it. A context is current on one OS thread, and GL called from any other
// thread fails silently (platform.md 1.8), so no GL call may run anywhere else.
type glThread struct {
	work chan func()
	done chan struct{} // closed when the context is gone
}

// startGL starts the thread, opens the context on it with open and loads GL's functions.
func startGL(open func() (func(string) unsafe.Pointer, func(), error)) (*glThread, error) {
	t, errc := &glThread{work: make(chan func()), done: make(chan struct{})}, make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		getProc, closeFn, err := open()
		if err == nil {
			if err = gl.InitWithProcAddrFunc(getProc); err != nil {
				err = fmt.Errorf("loading OpenGL 4.3 functions: %w", err)
				closeFn()
			}
		}
		errc <- err
		if err != nil {
			return
		}
		for f := range t.work {
			f()
		}
		closeFn()
		close(t.done)
	}()
	if err := <-errc; err != nil {
		return nil, err
	}
	return t, nil
}

// do runs f on the GL thread and waits for it. A panic in f is returned as an error.
func (t *glThread) do(f func() error) (err error) {
	done := make(chan struct{})
	t.work <- func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("gpu: panic on the GL thread: %v", r)
			}
			close(done)
		}()
		err = f()
	}
	<-done
	return err
}

// close ends the thread and waits until its context is destroyed: EGL displays are shared per
// process, so a context opened next must not race the teardown of this one (it did: eglTerminate
// on the old thread broke the new context's display).
func (t *glThread) close() {
	close(t.work)
	<-t.done
}
