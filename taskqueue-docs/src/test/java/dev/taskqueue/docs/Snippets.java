package dev.taskqueue.docs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regions of compiled source files that the pages show, marked as Spring's reference
 * documentation marks them: {@code // tag::name[]} ... {@code // end::name[]}. A tag may
 * mark several regions of a file, shown one after the other; marker lines of other tags
 * inside a region are left out. Each region is shown without its common indentation, each
 * leading tab as four spaces.
 */
final class Snippets {

	private static final Pattern MARKER = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w-]+)\\[\\]\\s*$");

	private Snippets() {
	}

	/**
	 * The text of a tag's regions.
	 * @param source the source file's text
	 * @param tag the tag
	 * @return the regions' lines, de-indented
	 * @throws IllegalArgumentException if the file has no such tag, or a region is not
	 * closed
	 */
	static String region(String source, String tag) {
		List<String> regions = new ArrayList<>();
		List<String> region = new ArrayList<>();
		boolean inside = false;
		boolean found = false;
		for (String line : source.split("\n", -1)) {
			Matcher marker = MARKER.matcher(line);
			if (marker.matches()) {
				if (marker.group(2).equals(tag)) {
					boolean opens = marker.group(1).equals("tag");
					if (opens == inside) {
						throw new IllegalArgumentException("unbalanced " + line.trim());
					}
					inside = opens;
					found = true;
					if (!opens) {
						regions.add(deindent(region));
						region.clear();
					}
				}
				continue;
			}
			if (inside) {
				region.add(line.stripTrailing());
			}
		}
		if (!found) {
			throw new IllegalArgumentException("no region tagged '" + tag + "'");
		}
		if (inside) {
			throw new IllegalArgumentException("region '" + tag + "' is not closed");
		}
		return String.join("\n", regions);
	}

	/**
	 * Every tag a source file marks.
	 * @param source the source file's text
	 * @return the tags, in order
	 */
	static Set<String> tags(String source) {
		Set<String> tags = new LinkedHashSet<>();
		for (String line : source.split("\n", -1)) {
			Matcher marker = MARKER.matcher(line);
			if (marker.matches() && marker.group(1).equals("tag")) {
				tags.add(marker.group(2));
			}
		}
		return tags;
	}

	private static String deindent(List<String> lines) {
		int indent = Integer.MAX_VALUE;
		for (String line : lines) {
			if (!line.isBlank()) {
				indent = Math.min(indent, leadingWhitespace(line));
			}
		}
		List<String> result = new ArrayList<>();
		for (String line : lines) {
			if (line.isBlank()) {
				result.add("");
				continue;
			}
			String rest = line.substring(indent);
			int tabs = 0;
			while (tabs < rest.length() && rest.charAt(tabs) == '\t') {
				tabs++;
			}
			result.add("    ".repeat(tabs) + rest.substring(tabs));
		}
		return String.join("\n", result);
	}

	private static int leadingWhitespace(String line) {
		int count = 0;
		while (count < line.length() && Character.isWhitespace(line.charAt(count))) {
			count++;
		}
		return count;
	}

}
