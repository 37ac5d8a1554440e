package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.UnaryOp;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/** Lowers expression trees of one function to IR expressions, making conversions explicit. */
final class ExprLowering {
    private final FunctionScope scope;
    private final SourceInfo source;
    private final InvocationLowering invocations;

    ExprLowering(FunctionScope scope) {
        this.scope = scope;
        this.source = scope.source();
        this.invocations = new InvocationLowering(scope, this);
    }

    InvocationLowering invocations() {
        return invocations;
    }

    /** {@code tree} lowered and converted to {@code type}, as in a Java assignment context. */
    Expr lower(ExpressionTree tree, ScalarType type) {
        return Conversions.convert(lower(tree), type);
    }

    Expr lower(ExpressionTree tree) {
        int line = source.line(tree);
        return switch (tree.getKind()) {
            case PARENTHESIZED -> lower(((ParenthesizedTree) tree).getExpression());
            case INT_LITERAL, LONG_LITERAL, FLOAT_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL ->
                    literal(((LiteralTree) tree).getValue(), line);
            case CHAR_LITERAL -> throw scope.violation(tree, "char is not supported in a kernel");
            case STRING_LITERAL -> throw scope.violation(tree, "strings are not allowed in a kernel");
            case NULL_LITERAL -> throw scope.violation(tree, "null is not allowed in a kernel");
            case IDENTIFIER -> identifier((IdentifierTree) tree, line);
            case MEMBER_SELECT -> memberSelect((MemberSelectTree) tree, line);
            case METHOD_INVOCATION -> invocations.value((MethodInvocationTree) tree);
            case UNARY_MINUS, UNARY_PLUS, BITWISE_COMPLEMENT, LOGICAL_COMPLEMENT -> unary((UnaryTree) tree, line);
            case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
                    throw scope.violation(tree, "++ and -- are only allowed as statements in a kernel");
            case CONDITIONAL_EXPRESSION -> ternary((ConditionalExpressionTree) tree, line);
            case TYPE_CAST -> cast((TypeCastTree) tree, line);
            case ARRAY_ACCESS -> arrayLoad((ArrayAccessTree) tree, line);
            case ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT, REMAINDER_ASSIGNMENT, PLUS_ASSIGNMENT,
                 MINUS_ASSIGNMENT, LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT,
                 AND_ASSIGNMENT, XOR_ASSIGNMENT, OR_ASSIGNMENT ->
                    throw scope.violation(tree, "assignments are only allowed as statements in a kernel");
            case NEW_CLASS -> throw scope.violation(tree, "object allocation is not allowed in a kernel");
            case NEW_ARRAY -> throw scope.violation(tree,
                    "arrays may only be allocated in a declaration of constant size, as in float[] a = new float[8]");
            case LAMBDA_EXPRESSION -> throw scope.violation(tree, "lambdas are not allowed in a kernel");
            case MEMBER_REFERENCE -> throw scope.violation(tree, "method references are not allowed in a kernel");
            case INSTANCE_OF -> throw scope.violation(tree, "instanceof is not allowed in a kernel");
            case SWITCH_EXPRESSION -> throw scope.violation(tree, "switch is not supported in a kernel; use if/else");
            default -> {
                if (tree instanceof BinaryTree b) {
                    yield binary(b, line);
                }
                throw scope.violation(tree, "this expression (" + tree.getKind() + ") is not allowed in a kernel");
            }
        };
    }

    private static Expr literal(Object value, int line) {
        return switch (value) {
            case Integer i -> new Expr.Const(ScalarType.I32, i, line);
            case Long l -> new Expr.Const(ScalarType.I64, l, line);
            case Float f -> new Expr.Const(ScalarType.F32, f, line);
            case Double d -> new Expr.Const(ScalarType.F64, d, line);
            case Boolean b -> new Expr.Const(ScalarType.BOOL, b, line);
            default -> throw new IllegalStateException("literal " + value);
        };
    }

    /** A constant of the value of a {@code static final} primitive field, or null. */
    private static Expr fieldConstant(Element element, int line) {
        if (element instanceof VariableElement v && v.getModifiers().contains(Modifier.STATIC)
                && v.getModifiers().contains(Modifier.FINAL) && v.getConstantValue() != null
                && v.asType().getKind().isPrimitive() && v.asType().getKind() != TypeKind.CHAR) {
            Expr literal = switch (v.getConstantValue()) {
                case Byte b -> Expr.Const.ofInt(b, line);
                case Short sh -> Expr.Const.ofInt(sh, line);
                case Object other -> literal(other, line);
            };
            return Conversions.convert(literal, TypeMapping.scalar(v.asType()));
        }
        return null;
    }

    private Expr identifier(IdentifierTree tree, int line) {
        Element element = source.element(tree);
        if (element != null && element.getKind() == ElementKind.FIELD) {
            return field(tree, element, line);
        }
        Binding binding = element == null ? null : scope.binding(element);
        return switch (binding) {
            case Binding.LocalVar l -> new Expr.LocalRef(l.local(), line);
            case Binding.ScalarParam p -> new Expr.ParamRef(p.index(), p.name(), p.type(), line);
            case Binding.ArrayParam a -> throw scope.violation(tree, "typed array " + a.array().name()
                    + " can only be used through get, set and length(), or passed to a helper");
            case Binding.JavaArray a -> throw scope.violation(tree, "array " + a.array().name()
                    + " can only be indexed (" + a.array().name() + "[i]) or asked its length");
            case Binding.ContextParam c -> throw scope.violation(tree, "the KernelContext " + c.name()
                    + " can only be used to call its methods");
            case null -> throw scope.violation(tree, "'" + tree.getName() + "' is not a variable of this kernel");
        };
    }

    private Expr field(Tree tree, Element element, int line) {
        Expr constant = fieldConstant(element, line);
        if (constant == null) {
            throw scope.violation(tree, "field " + element.getSimpleName()
                    + " is not allowed in a kernel: only static final primitive constants are");
        }
        return constant;
    }

    private Expr memberSelect(MemberSelectTree tree, int line) {
        Element element = source.element(tree);
        if (tree.getIdentifier().contentEquals("length") && source.type(tree.getExpression()).getKind() == TypeKind.ARRAY) {
            if (tree.getExpression() instanceof IdentifierTree id
                    && scope.binding(source.element(id)) instanceof Binding.JavaArray a) {
                return Expr.Const.ofInt(a.array().length(), line);
            }
            throw scope.violation(tree, "only arrays declared in the kernel have a length");
        }
        if (element != null && element.getKind() == ElementKind.FIELD) {
            return field(tree, element, line);
        }
        throw scope.violation(tree, "'" + tree + "' is not allowed in a kernel");
    }

    private ScalarType resultType(Tree tree) {
        ScalarType type = source.scalarType(tree);
        if (type == null || type == ScalarType.VOID) {
            throw scope.violation(tree, "only primitive values are allowed in a kernel, not "
                    + source.type(tree));
        }
        return type;
    }

    private Expr unary(UnaryTree tree, int line) {
        ScalarType type = resultType(tree);
        Expr operand = lower(tree.getExpression(), type);
        return switch (tree.getKind()) {
            case UNARY_PLUS -> operand;
            case UNARY_MINUS -> new Expr.Unary(UnaryOp.NEG, operand, line);
            case BITWISE_COMPLEMENT -> new Expr.Unary(UnaryOp.BIT_NOT, operand, line);
            default -> new Expr.Unary(UnaryOp.NOT, operand, line);
        };
    }

    private Expr binary(BinaryTree tree, int line) {
        ScalarType type = resultType(tree);
        BinaryOp op = binaryOp(tree);
        Expr left = lower(tree.getLeftOperand());
        Expr right = lower(tree.getRightOperand());
        return combine(op, left, right, type, line);
    }

    /** {@code left op right} with Java's promotions; {@code type} is the type javac gave the result. */
    static Expr combine(BinaryOp op, Expr left, Expr right, ScalarType type, int line) {
        if (op.isLogical()) {
            return new Expr.Binary(op, left, right, line);
        }
        if (op.isShift()) {
            return new Expr.Binary(op, Conversions.convert(left, type),
                    Conversions.convert(right, ScalarType.I32), line);
        }
        ScalarType operands = left.type() == ScalarType.BOOL && right.type() == ScalarType.BOOL
                ? ScalarType.BOOL : Conversions.promote(left.type(), right.type());
        return new Expr.Binary(op, Conversions.convert(left, operands), Conversions.convert(right, operands), line);
    }

    static BinaryOp binaryOp(Tree tree) {
        return switch (tree.getKind()) {
            case PLUS, PLUS_ASSIGNMENT -> BinaryOp.ADD;
            case MINUS, MINUS_ASSIGNMENT -> BinaryOp.SUB;
            case MULTIPLY, MULTIPLY_ASSIGNMENT -> BinaryOp.MUL;
            case DIVIDE, DIVIDE_ASSIGNMENT -> BinaryOp.DIV;
            case REMAINDER, REMAINDER_ASSIGNMENT -> BinaryOp.REM;
            case AND, AND_ASSIGNMENT -> BinaryOp.AND;
            case OR, OR_ASSIGNMENT -> BinaryOp.OR;
            case XOR, XOR_ASSIGNMENT -> BinaryOp.XOR;
            case LEFT_SHIFT, LEFT_SHIFT_ASSIGNMENT -> BinaryOp.SHL;
            case RIGHT_SHIFT, RIGHT_SHIFT_ASSIGNMENT -> BinaryOp.SHR;
            case UNSIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> BinaryOp.USHR;
            case LESS_THAN -> BinaryOp.LT;
            case LESS_THAN_EQUAL -> BinaryOp.LE;
            case GREATER_THAN -> BinaryOp.GT;
            case GREATER_THAN_EQUAL -> BinaryOp.GE;
            case EQUAL_TO -> BinaryOp.EQ;
            case NOT_EQUAL_TO -> BinaryOp.NE;
            case CONDITIONAL_AND -> BinaryOp.LOGICAL_AND;
            case CONDITIONAL_OR -> BinaryOp.LOGICAL_OR;
            default -> throw new IllegalStateException("not a binary operator: " + tree.getKind());
        };
    }

    private Expr ternary(ConditionalExpressionTree tree, int line) {
        ScalarType type = resultType(tree);
        Expr cond = lower(tree.getCondition(), ScalarType.BOOL);
        return new Expr.Ternary(cond, lower(tree.getTrueExpression(), type), lower(tree.getFalseExpression(), type), line);
    }

    private Expr cast(TypeCastTree tree, int line) {
        ScalarType type = resultType(tree);
        Expr operand = lower(tree.getExpression());
        if (operand.type() == type) {
            return operand;
        }
        return operand instanceof Expr.Const ? Conversions.convert(operand, type) : new Expr.Cast(type, operand, line);
    }

    private Expr arrayLoad(ArrayAccessTree tree, int line) {
        return new Expr.Load(javaArray(tree.getExpression()).array(), lower(tree.getIndex(), ScalarType.I32), line);
    }

    /** The Java array an indexing expression names; only arrays declared in the kernel qualify. */
    Binding.JavaArray javaArray(ExpressionTree tree) {
        if (tree instanceof IdentifierTree id && scope.binding(source.element(id)) instanceof Binding.JavaArray a) {
            return a;
        }
        throw scope.violation(tree, "only arrays declared in the kernel (local memory or new T[constant]) can be indexed");
    }
}
