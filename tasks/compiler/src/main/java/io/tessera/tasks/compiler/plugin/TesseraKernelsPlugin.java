package io.tessera.tasks.compiler.plugin;

import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;

/**
 * The javac plugin {@code -Xplugin:TesseraKernels}: after javac has analysed a class, it checks
 * each {@code @Kernel} method against the kernel subset and writes its IR beside the class file
 * ({@code a/b/C.method.kir}). A construct outside the subset is a compile error at its line.
 *
 * <h2>The subset</h2>
 * <ul>
 *   <li>Kernels are {@code static void}, not generic; parameters are typed arrays
 *       ({@code FloatArray}, {@code HalfArray}, {@code BFloat16Array}, {@code ByteArray},
 *       {@code IntArray}, {@code LongArray}), {@code int}, {@code long}, {@code float},
 *       {@code double}, {@code boolean}, and at most one {@code KernelContext}. Parameters are
 *       read-only: copy one into a local to change it.</li>
 *   <li>Locals of every primitive type but {@code char}; literals; {@code static final} primitive
 *       constants of any class ({@code Math.PI}); all arithmetic, bitwise, shift, comparison and
 *       logical operators, casts and the ternary operator, with Java's promotions.</li>
 *   <li>Statements: declarations, assignment and compound assignment, {@code ++}/{@code --}
 *       (as statements only: no assignment or increment inside an expression), {@code if}/{@code else},
 *       {@code for}, {@code while}, {@code do}, unlabeled {@code break}/{@code continue},
 *       {@code return}, blocks. Not: {@code switch}, labels, {@code try}/{@code throw},
 *       for-each, {@code assert}, {@code synchronized}, local classes.</li>
 *   <li>Typed arrays: {@code get}, {@code set} (a statement), {@code length()}, and
 *       {@code ByteArray.getShort/getHalf/getInt}, on parameters only; typed arrays cannot be
 *       stored in locals but may be passed unchanged to helpers.</li>
 *   <li>Java arrays: {@code T[] a = new T[CONSTANT]} (private, zero-filled where declared) and
 *       {@code float[]/int[] a = context.allocateFloatLocalArray/allocateIntLocalArray(CONSTANT)}
 *       (work-group local memory, at the top level of the kernel body); indexing, element
 *       assignment and {@code a.length}. They cannot be reassigned or passed to helpers.</li>
 *   <li>Calls: {@code Math.exp, log, sqrt, abs, min, max, tanh, sin, cos, pow, fma, floor, ceil,
 *       round}; every {@code KernelMath} method; {@code Float.float16ToFloat, floatToFloat16,
 *       intBitsToFloat, floatToRawIntBits, isNaN}; {@code KernelContext} queries with a constant
 *       dimension and its barriers (in the kernel body only); static non-{@code @Kernel}
 *       methods of the same class (helpers) taking primitives and typed arrays and returning a
 *       primitive or nothing, without recursion.</li>
 *   <li>{@code @Parallel} loops: {@code for (@Parallel int|long i = START; i < BOUND; i++)} with
 *       START and BOUND over scalar parameters, constants and {@code length()} of array
 *       parameters; one nest of up to three, the outermost a statement of the kernel body and each
 *       inner loop a statement of the body of the loop around it; no {@code break} out of or
 *       {@code return} inside a parallel loop; typed-array stores only in the innermost loop; not
 *       together with a {@code KernelContext}; not in helpers.</li>
 * </ul>
 *
 * <p>javac loads every plugin on the class path to ask {@link #autoStart()}, so the constructor
 * does nothing and the plugin starts only when named.
 */
public final class TesseraKernelsPlugin implements Plugin {
    public static final String NAME = "TesseraKernels";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean autoStart() {
        return false;
    }

    @Override
    public void init(JavacTask task, String... args) {
        task.addTaskListener(new KernelScanner(task, IrOutput.of(task)));
    }
}
