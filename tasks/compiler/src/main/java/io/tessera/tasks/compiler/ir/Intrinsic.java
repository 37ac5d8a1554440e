package io.tessera.tasks.compiler.ir;

/**
 * The library methods a kernel may call, each naming the Java method it stands for. The overload
 * is given by the argument types of the {@link Expr.IntrinsicCall} (already converted to the
 * overload's parameter types) and its result type.
 */
public enum Intrinsic {
    MATH_EXP(Owner.MATH, "exp"), MATH_LOG(Owner.MATH, "log"), MATH_SQRT(Owner.MATH, "sqrt"),
    MATH_ABS(Owner.MATH, "abs"), MATH_MIN(Owner.MATH, "min"), MATH_MAX(Owner.MATH, "max"),
    MATH_TANH(Owner.MATH, "tanh"), MATH_SIN(Owner.MATH, "sin"), MATH_COS(Owner.MATH, "cos"),
    MATH_POW(Owner.MATH, "pow"), MATH_FMA(Owner.MATH, "fma"), MATH_FLOOR(Owner.MATH, "floor"),
    MATH_CEIL(Owner.MATH, "ceil"), MATH_ROUND(Owner.MATH, "round"),
    KM_EXP(Owner.KERNEL_MATH, "exp"), KM_LOG(Owner.KERNEL_MATH, "log"),
    KM_SQRT(Owner.KERNEL_MATH, "sqrt"), KM_RSQRT(Owner.KERNEL_MATH, "rsqrt"),
    KM_TANH(Owner.KERNEL_MATH, "tanh"), KM_SIN(Owner.KERNEL_MATH, "sin"),
    KM_COS(Owner.KERNEL_MATH, "cos"), KM_POW(Owner.KERNEL_MATH, "pow"),
    KM_FMA(Owner.KERNEL_MATH, "fma"), KM_FLOOR(Owner.KERNEL_MATH, "floor"),
    FLOAT16_TO_FLOAT(Owner.FLOAT, "float16ToFloat"), FLOAT_TO_FLOAT16(Owner.FLOAT, "floatToFloat16"),
    INT_BITS_TO_FLOAT(Owner.FLOAT, "intBitsToFloat"),
    FLOAT_TO_RAW_INT_BITS(Owner.FLOAT, "floatToRawIntBits"), IS_NAN(Owner.FLOAT, "isNaN");

    /** The class that declares the method. */
    public enum Owner {
        MATH("java.lang.Math"), KERNEL_MATH("io.tessera.tasks.api.KernelMath"), FLOAT("java.lang.Float");

        private final String className;

        Owner(String className) {
            this.className = className;
        }

        public String className() {
            return className;
        }

        public String simpleName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }

    private final Owner owner;
    private final String method;

    Intrinsic(Owner owner, String method) {
        this.owner = owner;
        this.method = method;
    }

    public Owner owner() {
        return owner;
    }

    public String method() {
        return method;
    }

    /** The intrinsic for {@code className.method}, or null when the subset has none. */
    public static Intrinsic lookup(String className, String method) {
        for (Intrinsic i : values()) {
            if (i.owner.className.equals(className) && i.method.equals(method)) {
                return i;
            }
        }
        return null;
    }
}
