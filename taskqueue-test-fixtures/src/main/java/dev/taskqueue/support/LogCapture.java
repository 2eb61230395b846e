package dev.taskqueue.support;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger writes during a test. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture(Class<?> type) {
		this.logger = (Logger) LoggerFactory.getLogger(type);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/**
	 * Start collecting what a class logs.
	 * @param type the class whose logger to watch
	 * @return the capture
	 */
	public static LogCapture of(Class<?> type) {
		return new LogCapture(type);
	}

	/**
	 * The messages logged at a level so far.
	 * @param level the level
	 * @return the formatted messages
	 */
	public List<String> messages(Level level) {
		synchronized (this.appender) {
			return this.appender.list.stream()
				.filter((event) -> event.getLevel() == level)
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
