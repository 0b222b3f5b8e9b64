//go:build cgo

package gpu

/*
#cgo pkg-config: egl
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <EGL/egl.h>
#include <EGL/eglext.h>

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

// nm_egl_open creates an OpenGL 4.3 core context on the EGL device platform (the first device that
// is not Mesa's software device: a GPU) when device is 1, else on Mesa's surfaceless platform, and
// makes it current on the calling thread. It returns 0, or writes why not into err.
static int nm_egl_open(int device, int debug, EGLDisplay *dpyOut, EGLContext *ctxOut, char *err, int errLen) {
	PFNEGLGETPLATFORMDISPLAYEXTPROC getDisplay = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (!getDisplay) { snprintf(err, errLen, "eglGetPlatformDisplayEXT is missing (no EGL_EXT_platform_base)"); return 1; }
	EGLDisplay dpy = EGL_NO_DISPLAY;
	if (device) {
		PFNEGLQUERYDEVICESEXTPROC queryDevices = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
		PFNEGLQUERYDEVICESTRINGEXTPROC queryString = (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress("eglQueryDeviceStringEXT");
		if (!queryDevices || !queryString) { snprintf(err, errLen, "EGL has no device enumeration (EGL_EXT_device_enumeration)"); return 1; }
		EGLDeviceEXT devs[16];
		EGLint n = 0;
		if (!queryDevices(16, devs, &n)) { snprintf(err, errLen, "eglQueryDevicesEXT failed (0x%x)", eglGetError()); return 1; }
		int soft = 0;
		for (EGLint i = 0; i < n && dpy == EGL_NO_DISPLAY; i++) {
			const char *ext = queryString(devs[i], EGL_EXTENSIONS);
			if (ext && strstr(ext, "EGL_MESA_device_software")) { soft++; continue; }
			EGLDisplay d = getDisplay(EGL_PLATFORM_DEVICE_EXT, devs[i], NULL);
			EGLint maj, min;
			if (d != EGL_NO_DISPLAY && eglInitialize(d, &maj, &min)) dpy = d;
		}
		if (dpy == EGL_NO_DISPLAY) {
			snprintf(err, errLen, "no usable EGL GPU device (%d devices, %d of them Mesa's software device; in a container set NVIDIA_DRIVER_CAPABILITIES=graphics or all)", (int)n, soft);
			return 1;
		}
	} else {
		dpy = getDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
		EGLint maj, min;
		if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, &maj, &min)) {
			snprintf(err, errLen, "no EGL surfaceless display (Mesa's EGL_MESA_platform_surfaceless; error 0x%x)", eglGetError());
			return 1;
		}
	}
	if (!eglBindAPI(EGL_OPENGL_API)) { snprintf(err, errLen, "eglBindAPI(OpenGL) failed (0x%x)", eglGetError()); return 1; }
	EGLConfig cfg = (EGLConfig)0;
	const char *dext = eglQueryString(dpy, EGL_EXTENSIONS);
	if (!dext || !strstr(dext, "EGL_KHR_no_config_context")) {
		EGLint attrs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
		EGLint n = 0;
		if (!eglChooseConfig(dpy, attrs, &cfg, 1, &n) || n < 1) { snprintf(err, errLen, "no EGL config for OpenGL"); return 1; }
	}
	EGLint cattrs[] = {EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 3,
		EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
		EGL_CONTEXT_OPENGL_DEBUG, debug ? EGL_TRUE : EGL_FALSE, EGL_NONE};
	EGLContext ctx = eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, cattrs);
	if (ctx == EGL_NO_CONTEXT) {
		snprintf(err, errLen, "eglCreateContext(OpenGL 4.3 core) failed (0x%x): the driver has no OpenGL 4.3", eglGetError());
		return 1;
	}
	if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
		snprintf(err, errLen, "eglMakeCurrent without a surface failed (0x%x)", eglGetError());
		eglDestroyContext(dpy, ctx);
		return 1;
	}
	*dpyOut = dpy;
	*ctxOut = ctx;
	return 0;
}

// nm_egl_close releases the context but leaves the display initialised: an EGL display is one per
// platform and process, shared by every backend of the process, and eglTerminate would pull it
// from under another backend's context.
static void nm_egl_close(EGLDisplay dpy, EGLContext ctx) {
	eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	eglDestroyContext(dpy, ctx);
}

static void *nm_egl_proc(const char *name) { return (void *)eglGetProcAddress(name); }
*/
import "C"

import (
	"errors"
	"unsafe"
)

// openEGL makes an EGL context current on the calling (locked) thread: the device platform when
// device is set (a GPU on NVIDIA servers), else Mesa's surfaceless platform.
func openEGL(device, debug bool) (getProc func(string) unsafe.Pointer, closeFn func(), err error) {
	var dpy C.EGLDisplay
	var ctx C.EGLContext
	buf := (*C.char)(C.malloc(512))
	defer C.free(unsafe.Pointer(buf))
	if C.nm_egl_open(C.int(b2i(device)), C.int(b2i(debug)), &dpy, &ctx, buf, 512) != 0 {
		return nil, nil, errors.New(C.GoString(buf))
	}
	getProc = func(name string) unsafe.Pointer {
		cs := C.CString(name)
		defer C.free(unsafe.Pointer(cs))
		return C.nm_egl_proc(cs)
	}
	return getProc, func() { C.nm_egl_close(dpy, ctx) }, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
