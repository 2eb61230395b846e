package dev.taskqueue.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * The javadoc of the fields of a class, read from its source with the JDK's compiler
 * (parsed only, not compiled). The configuration processor describes the properties of
 * nested classes but not those of map values ({@code taskqueue.tasks.[<name>].*}): their
 * descriptions are read here the way it reads the others, from the fields' javadoc. The
 * meters and observations documented in code ({@code MeterDocumentation} and
 * {@code ObservationDocumentation} enums) are described by their constants' javadoc.
 */
final class FieldDocs {

	private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|literal|link|linkplain)\\s+([^}]*)}");

	private final Path root;

	FieldDocs(Path root) {
		this.root = root;
	}

	/**
	 * The javadoc of each field of a class, as one line of text.
	 * @param type the class (nested classes too)
	 * @return the description of each field that has one, by field name
	 */
	Map<String, String> of(Class<?> type) {
		return read(type, false);
	}

	/**
	 * The javadoc of each constant of an enum, as one line of Markdown: code and links
	 * become code spans.
	 * @param type the enum (nested enums too)
	 * @return the description of each constant that has one, by constant name
	 */
	Map<String, String> ofConstants(Class<? extends Enum<?>> type) {
		Map<String, String> descriptions = read(type, true);
		Set<String> constants = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toSet());
		descriptions.keySet().retainAll(constants);
		return descriptions;
	}

	private Map<String, String> read(Class<?> type, boolean constants) {
		Class<?> top = type;
		while (top.getEnclosingClass() != null) {
			top = top.getEnclosingClass();
		}
		Path source = findSource(top.getName().replace('.', '/') + ".java");
		String nestedName = type.getName().substring(top.getName().length()).replace('$', '.');
		String wanted = top.getSimpleName() + nestedName;
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
			Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source);
			JavacTask task = (JavacTask) compiler.getTask(null, files, null, List.of("-proc:none"), null, units);
			DocTrees docs = DocTrees.instance(task);
			Map<String, String> descriptions = new HashMap<>();
			for (CompilationUnitTree unit : task.parse()) {
				new TreePathScanner<Void, String>() {

					@Override
					public Void visitClass(ClassTree tree, String enclosing) {
						String name = (enclosing != null) ? enclosing + "." + tree.getSimpleName()
								: tree.getSimpleName().toString();
						if (name.equals(wanted)) {
							for (Tree member : tree.getMembers()) {
								if (member instanceof VariableTree field
										&& (constants || !field.getModifiers().getFlags().contains(Modifier.STATIC))) {
									DocCommentTree doc = docs.getDocCommentTree(new TreePath(getCurrentPath(), member));
									if (doc != null) {
										descriptions.put(field.getName().toString(), text(doc, constants));
									}
								}
							}
						}
						return super.visitClass(tree, name);
					}

				}.scan(unit, null);
			}
			return descriptions;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(DocCommentTree doc, boolean markdown) {
		StringBuilder text = new StringBuilder();
		doc.getFullBody().forEach((part) -> text.append(part));
		String description = INLINE_TAG.matcher(text)
			.replaceAll((tag) -> Matcher
				.quoteReplacement(markdown ? "`" + tag.group(1).replace('#', '.') + "`" : tag.group(1)));
		return description.replaceAll("\\s+", " ").trim();
	}

	private Path findSource(String relative) {
		try (Stream<Path> modules = Files.list(this.root)) {
			return modules.map((module) -> module.resolve("src/main/java").resolve(relative))
				.filter(Files::isRegularFile)
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No source of " + relative + " in any module"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
