package dev.taskqueue.autoconfigure;

import java.util.List;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * What Spring Boot prints when an application fails to start: the analysis of the first
 * {@link FailureAnalyzer} registered in {@code META-INF/spring.factories} that recognizes
 * the failure, as {@code SpringApplication} finds it.
 */
final class FailureAnalyses {

	private FailureAnalyses() {
	}

	/**
	 * Analyze a start-up failure.
	 * @param failure the failure
	 * @param environment the failed application's environment, if known
	 * @return the analysis
	 * @throws AssertionError if no analyzer recognizes the failure
	 */
	static FailureAnalysis of(Throwable failure, @Nullable Environment environment) {
		// The failed context's bean factory is gone; analyzers of missing beans need one.
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, environment);
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(FailureAnalyses.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments, FailureHandler.logging(LogFactory.getLog(FailureAnalyses.class)));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analyzer recognizes " + failure, failure);
	}

	/**
	 * Return the messages of an exception and all its causes, one per line.
	 * @param failure the exception
	 * @return the messages of an exception and all its causes, one per line
	 */
	static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
			messages.append(ex.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
