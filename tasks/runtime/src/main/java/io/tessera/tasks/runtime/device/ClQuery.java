package io.tessera.tasks.runtime.device;

import static org.lwjgl.opencl.CL10.clGetDeviceInfo;
import static org.lwjgl.opencl.CL10.clGetPlatformInfo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/** Typed OpenCL info queries on platforms and devices. */
final class ClQuery {
    private ClQuery() {
    }

    static String platformString(long platform, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            OpenClException.check("clGetPlatformInfo", clGetPlatformInfo(platform, param, (ByteBuffer) null, size));
            ByteBuffer text = MemoryUtil.memAlloc((int) size.get(0));
            try {
                OpenClException.check("clGetPlatformInfo", clGetPlatformInfo(platform, param, text, null));
                return decode(text);
            } finally {
                MemoryUtil.memFree(text);
            }
        }
    }

    /** The string value, or "" when the device does not know the query (older OpenCL versions). */
    static String deviceString(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            if (clGetDeviceInfo(device, param, (ByteBuffer) null, size) != 0 || size.get(0) == 0) {
                return "";
            }
            ByteBuffer text = MemoryUtil.memAlloc((int) size.get(0));
            try {
                OpenClException.check("clGetDeviceInfo", clGetDeviceInfo(device, param, text, null));
                return decode(text);
            } finally {
                MemoryUtil.memFree(text);
            }
        }
    }

    static int deviceInt(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer value = stack.calloc(4);
            OpenClException.check("clGetDeviceInfo", clGetDeviceInfo(device, param, value, null));
            return value.getInt(0);
        }
    }

    static long deviceLong(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer value = stack.calloc(8);
            OpenClException.check("clGetDeviceInfo", clGetDeviceInfo(device, param, value, null));
            return value.getLong(0);
        }
    }

    /** A {@code size_t} value; 0 when the query is unknown to the device. */
    static long deviceSize(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer value = stack.callocPointer(1);
            if (clGetDeviceInfo(device, param, value, null) != 0) {
                return 0;
            }
            return value.get(0);
        }
    }

    private static String decode(ByteBuffer text) {
        int end = text.limit();
        while (end > 0 && text.get(end - 1) == 0) {
            end--;
        }
        byte[] bytes = new byte[end];
        text.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }
}
