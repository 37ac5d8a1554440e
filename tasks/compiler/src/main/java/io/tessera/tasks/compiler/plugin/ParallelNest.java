package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import io.tessera.tasks.compiler.ir.Expr;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * The rules for {@code @Parallel} loops: one nest of up to three loops, the outermost a statement
 * of the kernel body and each inner one a statement of the body of the loop around it; bounds that
 * the host can evaluate; unit steps; typed-array stores only in the innermost loop (code between
 * the loops of a nest runs once per work-item of the inner dimensions).
 */
final class ParallelNest {
    private record StoreSite(Tree tree, int depth) {
    }

    private final FunctionScope scope;
    private final boolean[] childPlaced = new boolean[4];
    private final List<StoreSite> stores = new ArrayList<>();
    private String forbidden;
    private int depth;
    private int maxDepth;

    ParallelNest(FunctionScope scope) {
        this.scope = scope;
    }

    /** Parallel loops are not allowed in this function, for {@code reason}. */
    void forbid(String reason) {
        forbidden = reason;
    }

    int depth() {
        return depth;
    }

    /** Enters a parallel loop placed at {@code loop}; returns its dimension. */
    int enter(ForLoopTree loop, boolean home, Deque<Boolean> loops) {
        if (!scope.isKernel()) {
            throw scope.violation(loop, "parallel loops belong in the kernel, not in helpers");
        }
        if (forbidden != null) {
            throw scope.violation(loop, forbidden);
        }
        if (depth == 3) {
            throw scope.violation(loop, "at most three parallel loops may be nested");
        }
        if (!home || (depth > 0 && !Boolean.TRUE.equals(loops.peek()))) {
            throw scope.violation(loop, depth == 0
                    ? "the outermost parallel loop must be a statement of the kernel body, not nested in other statements"
                    : "an inner parallel loop must be a statement of the body of the enclosing parallel loop");
        }
        if (childPlaced[depth]) {
            throw scope.violation(loop, depth == 0
                    ? "a kernel has one nest of parallel loops; split the work into several kernels"
                    : "a parallel loop holds at most one inner parallel loop");
        }
        childPlaced[depth] = true;
        int dimension = depth++;
        childPlaced[depth] = false;
        maxDepth = Math.max(maxDepth, depth);
        return dimension;
    }

    void exit() {
        depth--;
    }

    /** {@code bound} if the host can evaluate it before launch. */
    Expr bound(Expr bound, Tree tree) {
        if (!FunctionLowering.isLaunchInvariant(bound)) {
            throw scope.violation(tree, "the bounds of a parallel loop may use only scalar parameters, constants "
                    + "and length() of array parameters");
        }
        return bound;
    }

    /** The update of a parallel loop must be {@code i++}, {@code ++i} or {@code i += 1}. */
    void checkUpdate(ForLoopTree loop, Element var) {
        boolean ok = false;
        if (loop.getUpdate().size() == 1) {
            ExpressionTree u = loop.getUpdate().getFirst().getExpression();
            if (u instanceof UnaryTree unary && (u.getKind() == Tree.Kind.POSTFIX_INCREMENT
                    || u.getKind() == Tree.Kind.PREFIX_INCREMENT)) {
                ok = isVar(unary.getExpression(), var);
            } else if (u instanceof CompoundAssignmentTree c && u.getKind() == Tree.Kind.PLUS_ASSIGNMENT) {
                ok = isVar(c.getVariable(), var) && c.getExpression() instanceof LiteralTree l
                        && Integer.valueOf(1).equals(l.getValue());
            }
        }
        if (!ok) {
            throw scope.violation(loop, "a parallel loop steps by one: " + var.getSimpleName() + "++");
        }
    }

    private boolean isVar(ExpressionTree tree, Element var) {
        return tree instanceof IdentifierTree id && var.equals(scope.source().element(id));
    }

    /** Records a typed-array store at the current depth. */
    void store(Tree tree) {
        stores.add(new StoreSite(tree, depth));
    }

    /** The typed-array stores outside the innermost parallel loop of a kernel that has parallel loops. */
    List<Tree> misplacedStores() {
        return stores.stream().filter(s -> maxDepth > 0 && s.depth() < maxDepth).map(StoreSite::tree).toList();
    }
}
