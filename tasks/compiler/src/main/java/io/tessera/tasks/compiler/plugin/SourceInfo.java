package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import io.tessera.tasks.compiler.ir.ScalarType;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/** The attributed compilation unit being lowered: types, elements and lines of its trees. */
final class SourceInfo {
    private final Trees trees;
    private final CompilationUnitTree unit;
    private final TreePath unitPath;

    SourceInfo(Trees trees, CompilationUnitTree unit) {
        this.trees = trees;
        this.unit = unit;
        this.unitPath = new TreePath(unit);
    }

    Trees trees() {
        return trees;
    }

    CompilationUnitTree unit() {
        return unit;
    }

    /*
     * javac attributes every tree in place: the type and symbol of a tree are read from the tree
     * itself, so a path of the unit and the leaf is enough for Trees.getTypeMirror/getElement.
     */
    private TreePath path(Tree tree) {
        return new TreePath(unitPath, tree);
    }

    TypeMirror type(Tree tree) {
        return trees.getTypeMirror(path(tree));
    }

    /** The IR type of an expression tree, or null when it is not primitive. */
    ScalarType scalarType(Tree tree) {
        return TypeMapping.scalar(type(tree));
    }

    Element element(Tree tree) {
        return trees.getElement(path(tree));
    }

    int line(Tree tree) {
        long pos = trees.getSourcePositions().getStartPosition(unit, tree);
        return pos < 0 ? 0 : (int) unit.getLineMap().getLineNumber(pos);
    }

    void error(Tree tree, String message) {
        trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unit);
    }

    String fileName() {
        String name = unit.getSourceFile().getName();
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }
}
