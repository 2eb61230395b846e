package dev.taskqueue.control.internal;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Which nodes act on a pidbox request, as kombu's {@code Node.handle_message} decides: a
 * non-empty {@code destination} names them exactly; otherwise a {@code pattern} with a
 * {@code matcher} ({@code glob}: Python's {@code fnmatch}, {@code pcre}:
 * {@code re.match}, anchored at the start only) selects them; otherwise every node acts.
 */
public final class NodeMatcher {

	private NodeMatcher() {
	}

	/**
	 * Whether a node acts on a request.
	 * @param node the node name
	 * @param destination the request's destination, or {@code null}
	 * @param pattern the request's pattern, or {@code null}
	 * @param matcher the request's matcher, or {@code null}
	 * @return whether the node acts
	 * @throws IllegalArgumentException if the matcher is neither {@code glob} nor
	 * {@code pcre}, or the pattern is not valid for it
	 */
	public static boolean selects(String node, @Nullable List<?> destination, @Nullable String pattern,
			@Nullable String matcher) {
		if (destination != null && !destination.isEmpty()) {
			return destination.contains(node);
		}
		if (pattern != null && !pattern.isEmpty() && matcher != null && !matcher.isEmpty()) {
			return matches(node, pattern, matcher);
		}
		return true;
	}

	/**
	 * Match a node name against a pattern.
	 * @param node the node name
	 * @param pattern the pattern
	 * @param matcher {@code glob} or {@code pcre}
	 * @return whether it matches
	 * @throws IllegalArgumentException if the matcher is unknown or the pattern invalid
	 */
	public static boolean matches(String node, String pattern, String matcher) {
		try {
			return switch (matcher) {
				case "glob" -> Pattern.compile(globToRegex(pattern), Pattern.DOTALL).matcher(node).matches();
				case "pcre" -> Pattern.compile(pattern).matcher(node).lookingAt();
				default -> throw new IllegalArgumentException("No matcher installed for " + matcher);
			};
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"Invalid " + matcher + " pattern '" + pattern + "': " + ex.getDescription(), ex);
		}
	}

	/**
	 * Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]},
	 * {@code [!seq]}.
	 */
	static String globToRegex(String glob) {
		StringBuilder regex = new StringBuilder(glob.length() + 8);
		int i = 0;
		int n = glob.length();
		while (i < n) {
			char c = glob.charAt(i++);
			if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[') {
				int j = i;
				if (j < n && glob.charAt(j) == '!') {
					j++;
				}
				if (j < n && glob.charAt(j) == ']') {
					j++;
				}
				while (j < n && glob.charAt(j) != ']') {
					j++;
				}
				if (j >= n) {
					regex.append("\\[");
				}
				else {
					String set = glob.substring(i, j).replace("\\", "\\\\");
					i = j + 1;
					if (set.startsWith("!")) {
						set = "^" + set.substring(1);
					}
					else if (set.startsWith("^")) {
						set = "\\" + set;
					}
					regex.append('[').append(set.replace("[", "\\[").replace("&&", "\\&\\&")).append(']');
				}
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

}
