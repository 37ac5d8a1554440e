package io.tessera.tasks.compiler.jvm;

import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.ScalarType;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.List;
import java.util.Map;

/** Emits IR expressions as bytecode with Java's semantics: the same instructions javac would write. */
final class ExpressionEmitter {
    private final CodeBuilder code;
    private final Slots slots;
    private final ClassDesc self;
    private final Map<String, Function> helpers;

    ExpressionEmitter(CodeBuilder code, Slots slots, ClassDesc self, Map<String, Function> helpers) {
        this.code = code;
        this.slots = slots;
        this.self = self;
        this.helpers = helpers;
    }

    /** Pushes the value of {@code e}. */
    void value(Expr e) {
        switch (e) {
            case Expr.Const c -> constant(c);
            case Expr.ParamRef p -> code.loadLocal(Descriptors.kind(p.type()), slots.param(p.index()));
            case Expr.LocalRef l -> code.loadLocal(Descriptors.kind(l.type()), slots.local(l.local()));
            case Expr.ArrayLength l -> {
                code.aload(slots.param(l.array().param()));
                code.invokevirtual(Descriptors.typedArray(l.array().element()), "length",
                        MethodTypeDesc.of(ConstantDescs.CD_long));
            }
            case Expr.Unary u -> unary(u);
            case Expr.Binary b when b.op().isComparison() || b.op().isLogical() -> booleanValue(b);
            case Expr.Binary b -> {
                value(b.left());
                value(b.right());
                code.with(OperatorInstruction.of(arithmetic(b.op(), b.left().type())));
            }
            case Expr.Cast c -> {
                value(c.operand());
                Conversions.emit(code, c.operand().type(), c.type());
            }
            case Expr.Ternary t -> {
                Label otherwise = code.newLabel();
                Label end = code.newLabel();
                jump(t.cond(), false, otherwise);
                value(t.ifTrue());
                code.goto_(end);
                code.labelBinding(otherwise);
                value(t.ifFalse());
                code.labelBinding(end);
            }
            case Expr.Load l -> load(l);
            case Expr.ByteLoad b -> {
                code.aload(slots.param(b.array().param()));
                value(b.byteOffset());
                code.invokevirtual(Descriptors.typedArray(b.array().element()), b.access().javaMethod(),
                        MethodTypeDesc.of(Descriptors.of(b.type()), ConstantDescs.CD_long));
            }
            case Expr.IntrinsicCall i -> {
                i.args().forEach(this::value);
                code.invokestatic(ClassDesc.of(i.intrinsic().owner().className()), i.intrinsic().method(),
                        MethodTypeDesc.of(Descriptors.of(i.type()), i.args().stream().map(a -> Descriptors.of(a.type())).toList()));
            }
            case Expr.Call c -> {
                c.args().forEach(this::value);
                code.invokestatic(self, JvmEmitter.methodName(c.function()), Descriptors.method(helpers.get(c.function()), List.of()));
            }
            case Expr.ArrayArg a -> code.aload(slots.param(a.array().param()));
            case Expr.Context c -> throw new IllegalArgumentException("line " + c.line()
                    + ": KernelContext queries have no JVM form; the runtime runs such kernels as Java methods");
        }
    }

    private void constant(Expr.Const c) {
        switch (c.type()) {
            case BOOL -> code.loadConstant((Boolean) c.value() ? 1 : 0);
            case I8, I16, I32 -> code.loadConstant((Integer) c.value());
            case I64 -> code.loadConstant((Long) c.value());
            case F32 -> code.loadConstant((Float) c.value());
            case F64 -> code.loadConstant((Double) c.value());
            case VOID -> throw new IllegalArgumentException("void constant");
        }
    }

    private void unary(Expr.Unary u) {
        value(u.operand());
        TypeKind kind = Descriptors.kind(u.type());
        switch (u.op()) {
            case NEG -> code.with(OperatorInstruction.of(switch (kind) {
                case LONG -> Opcode.LNEG;
                case FLOAT -> Opcode.FNEG;
                case DOUBLE -> Opcode.DNEG;
                default -> Opcode.INEG;
            }));
            case BIT_NOT -> {
                if (kind == TypeKind.LONG) {
                    code.loadConstant(-1L);
                    code.lxor();
                } else {
                    code.iconst_m1();
                    code.ixor();
                }
            }
            case NOT -> {
                code.iconst_1();
                code.ixor();
            }
        }
    }

    private void booleanValue(Expr e) {
        Label no = code.newLabel();
        Label end = code.newLabel();
        jump(e, false, no);
        code.iconst_1();
        code.goto_(end);
        code.labelBinding(no);
        code.iconst_0();
        code.labelBinding(end);
    }

    private void load(Expr.Load l) {
        switch (l.array()) {
            case ArrayVar v -> {
                code.aload(slots.array(v));
                value(l.index());
                code.arrayLoad(Descriptors.arrayKind(v.element()));
            }
            case ArrayTarget.Global g -> {
                code.aload(slots.param(g.param()));
                value(l.index());
                code.invokevirtual(Descriptors.typedArray(g.element()), "get",
                        MethodTypeDesc.of(Descriptors.of(g.valueType()), ConstantDescs.CD_long));
            }
        }
    }

    /** Jumps to {@code target} when {@code cond} evaluates to {@code when}; falls through otherwise. */
    void jump(Expr cond, boolean when, Label target) {
        switch (cond) {
            case Expr.Const c -> {
                if ((Boolean) c.value() == when) {
                    code.goto_(target);
                }
            }
            case Expr.Unary u when u.op() == io.tessera.tasks.compiler.ir.UnaryOp.NOT -> jump(u.operand(), !when, target);
            case Expr.Binary b when b.op() == BinaryOp.LOGICAL_AND || b.op() == BinaryOp.LOGICAL_OR -> {
                boolean and = b.op() == BinaryOp.LOGICAL_AND;
                if (when != and) {
                    // (a && b) false: a false or b false; (a || b) true: a true or b true
                    jump(b.left(), when, target);
                    jump(b.right(), when, target);
                } else {
                    Label skip = code.newLabel();
                    jump(b.left(), !when, skip);
                    jump(b.right(), when, target);
                    code.labelBinding(skip);
                }
            }
            case Expr.Binary b when b.op().isComparison() -> compare(b, when, target);
            default -> {
                value(cond);
                code.branch(when ? Opcode.IFNE : Opcode.IFEQ, target);
            }
        }
    }

    private void compare(Expr.Binary b, boolean when, Label target) {
        BinaryOp op = when ? b.op() : negate(b.op());
        value(b.left());
        value(b.right());
        switch (Descriptors.kind(b.left().type())) {
            case INT -> {
                code.branch(switch (op) {
                    case EQ -> Opcode.IF_ICMPEQ;
                    case NE -> Opcode.IF_ICMPNE;
                    case LT -> Opcode.IF_ICMPLT;
                    case LE -> Opcode.IF_ICMPLE;
                    case GT -> Opcode.IF_ICMPGT;
                    default -> Opcode.IF_ICMPGE;
                }, target);
                return;
            }
            case LONG -> code.lcmp();
            // NaN must make < and <= false, so they compare with the "g" form (NaN gives 1), > and >= with "l"
            case FLOAT -> code.with(OperatorInstruction.of(b.op() == BinaryOp.LT || b.op() == BinaryOp.LE
                    ? Opcode.FCMPG : Opcode.FCMPL));
            default -> code.with(OperatorInstruction.of(b.op() == BinaryOp.LT || b.op() == BinaryOp.LE
                    ? Opcode.DCMPG : Opcode.DCMPL));
        }
        code.branch(switch (op) {
            case EQ -> Opcode.IFEQ;
            case NE -> Opcode.IFNE;
            case LT -> Opcode.IFLT;
            case LE -> Opcode.IFLE;
            case GT -> Opcode.IFGT;
            default -> Opcode.IFGE;
        }, target);
    }

    private static BinaryOp negate(BinaryOp op) {
        return switch (op) {
            case EQ -> BinaryOp.NE;
            case NE -> BinaryOp.EQ;
            case LT -> BinaryOp.GE;
            case GE -> BinaryOp.LT;
            case GT -> BinaryOp.LE;
            case LE -> BinaryOp.GT;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    private static Opcode arithmetic(BinaryOp op, ScalarType type) {
        TypeKind kind = Descriptors.kind(type);
        int column = switch (kind) {
            case LONG -> 1;
            case FLOAT -> 2;
            case DOUBLE -> 3;
            default -> 0;
        };
        Opcode[] row = switch (op) {
            case ADD -> new Opcode[] {Opcode.IADD, Opcode.LADD, Opcode.FADD, Opcode.DADD};
            case SUB -> new Opcode[] {Opcode.ISUB, Opcode.LSUB, Opcode.FSUB, Opcode.DSUB};
            case MUL -> new Opcode[] {Opcode.IMUL, Opcode.LMUL, Opcode.FMUL, Opcode.DMUL};
            case DIV -> new Opcode[] {Opcode.IDIV, Opcode.LDIV, Opcode.FDIV, Opcode.DDIV};
            case REM -> new Opcode[] {Opcode.IREM, Opcode.LREM, Opcode.FREM, Opcode.DREM};
            case AND -> new Opcode[] {Opcode.IAND, Opcode.LAND, null, null};
            case OR -> new Opcode[] {Opcode.IOR, Opcode.LOR, null, null};
            case XOR -> new Opcode[] {Opcode.IXOR, Opcode.LXOR, null, null};
            case SHL -> new Opcode[] {Opcode.ISHL, Opcode.LSHL, null, null};
            case SHR -> new Opcode[] {Opcode.ISHR, Opcode.LSHR, null, null};
            case USHR -> new Opcode[] {Opcode.IUSHR, Opcode.LUSHR, null, null};
            default -> throw new IllegalArgumentException(op + " is not arithmetic");
        };
        if (row[column] == null) {
            throw new IllegalArgumentException(op + " on " + type);
        }
        return row[column];
    }
}
