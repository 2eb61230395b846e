package dev.taskqueue.docs;

import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Maven dependencies the pages tell users to add are modules of this build, at its
 * version.
 */
class DependencyBlocksTests {

	private static final String GROUP = "dev.taskqueue";

	@Test
	void dependenciesNameThisBuildsModulesAndVersion() throws Exception {
		Documentation documentation = Documentation.repository();
		String version = System.getProperty("taskqueue.docs.version");
		assertThat(version).as("the build's version (taskqueue.docs.version)").isNotBlank();
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Markdown page : documentation.markdown()) {
			for (Markdown.CodeBlock block : page.codeBlocks()) {
				if (!block.language().equals("xml")) {
					continue;
				}
				String where = documentation.relativize(page.path()) + ":" + block.line() + ": ";
				NodeList dependencies = DocumentBuilderFactory.newInstance()
					.newDocumentBuilder()
					.parse(new InputSource(new StringReader("<block>" + block.content() + "</block>")))
					.getElementsByTagName("dependency");
				for (int i = 0; i < dependencies.getLength(); i++) {
					Element dependency = (Element) dependencies.item(i);
					if (!GROUP.equals(text(dependency, "groupId"))) {
						continue;
					}
					checked++;
					String artifact = text(dependency, "artifactId");
					if (!Files.isRegularFile(documentation.resolve(artifact + "/pom.xml"))) {
						problems.add(where + artifact + " is not a module of this build");
					}
					if (!version.equals(text(dependency, "version"))) {
						problems
							.add(where + artifact + " " + text(dependency, "version") + ": the build is " + version);
					}
				}
			}
		}
		assertThat(checked).as("dev.taskqueue dependencies shown").isPositive();
		assertThat(problems).isEmpty();
	}

	private static String text(Element element, String child) {
		NodeList children = element.getElementsByTagName(child);
		return (children.getLength() > 0) ? children.item(0).getTextContent().trim() : null;
	}

}
