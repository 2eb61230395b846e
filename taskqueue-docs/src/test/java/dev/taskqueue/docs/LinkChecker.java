package dev.taskqueue.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the links of Markdown pages: a relative link must lead to a file inside the
 * repository and an anchor to a heading (or an HTML anchor) of its page. Web links are
 * not followed: the build has no network.
 */
final class LinkChecker {

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

	private static final Pattern LINE_ANCHOR = Pattern.compile("L\\d+(-L\\d+)?");

	private final Path root;

	private final Map<Path, Markdown> pages = new HashMap<>();

	LinkChecker(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	static boolean isExternal(String target) {
		return SCHEME.matcher(target).matches();
	}

	/**
	 * What is wrong with a link.
	 * @param page the page the link is on
	 * @param target the link's target as written
	 * @return the problem, or {@code null} if the link resolves
	 */
	String check(Markdown page, String target) {
		this.pages.putIfAbsent(page.path(), page);
		if (target.isEmpty()) {
			return "empty link";
		}
		if (isExternal(target)) {
			return null;
		}
		int hash = target.indexOf('#');
		String file = (hash >= 0) ? target.substring(0, hash) : target;
		String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
		Path resolved = page.path();
		if (!file.isEmpty()) {
			if (file.startsWith("/")) {
				return "absolute path: write it relative to the page";
			}
			resolved = page.path().getParent().resolve(URLDecoder.decode(file, StandardCharsets.UTF_8)).normalize();
			if (!resolved.startsWith(this.root)) {
				return "leads out of the repository";
			}
			if (!Files.exists(resolved)) {
				return "no such file: " + this.root.relativize(resolved);
			}
		}
		if (anchor == null) {
			return null;
		}
		if (!resolved.toString().endsWith(".md")) {
			return LINE_ANCHOR.matcher(anchor).matches() ? null : "anchor into a file that is not Markdown";
		}
		Markdown linked = this.pages.computeIfAbsent(resolved, Markdown::read);
		String decoded = URLDecoder.decode(anchor, StandardCharsets.UTF_8);
		return linked.anchors().contains(decoded) ? null : "no heading or anchor '" + decoded + "' in "
				+ this.root.relativize(resolved) + " (it has " + linked.anchors() + ")";
	}

}
