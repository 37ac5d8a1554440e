package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.compiler.ir.ScalarType;
import java.lang.classfile.CodeBuilder;

/** Java's primitive conversions as JVM instructions (JLS 5.1.2, 5.1.3). */
final class Conversions {
    private Conversions() {
    }

    static void emit(CodeBuilder code, ScalarType from, ScalarType to) {
        if (from == to) {
            return;
        }
        switch (from) {
            case I64 -> {
                switch (to) {
                    case F32 -> code.l2f();
                    case F64 -> code.l2d();
                    default -> {
                        code.l2i();
                        narrow(code, to);
                    }
                }
            }
            case F32 -> {
                switch (to) {
                    case I64 -> code.f2l();
                    case F64 -> code.f2d();
                    default -> {
                        code.f2i();
                        narrow(code, to);
                    }
                }
            }
            case F64 -> {
                switch (to) {
                    case I64 -> code.d2l();
                    case F32 -> code.d2f();
                    default -> {
                        code.d2i();
                        narrow(code, to);
                    }
                }
            }
            case BOOL, VOID -> throw new IllegalArgumentException("no conversion from " + from + " to " + to);
            default -> {
                switch (to) {
                    case I64 -> code.i2l();
                    case F32 -> code.i2f();
                    case F64 -> code.i2d();
                    default -> narrow(code, to);
                }
            }
        }
    }

    private static void narrow(CodeBuilder code, ScalarType to) {
        switch (to) {
            case I8 -> code.i2b();
            case I16 -> code.i2s();
            case I32 -> {
            }
            default -> throw new IllegalArgumentException("no conversion to " + to);
        }
    }
}
