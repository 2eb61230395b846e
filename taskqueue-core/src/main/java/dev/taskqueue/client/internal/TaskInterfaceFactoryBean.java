package dev.taskqueue.client.internal;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskInterfaceFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

/**
 * Makes a task interface a bean: its proxy is created by the application's
 * {@link TaskInterfaceFactory} or, without one, a factory on its {@link TaskClient}.
 *
 * @param <T> the task interface
 */
public final class TaskInterfaceFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

	private final Class<T> type;

	private @Nullable BeanFactory beanFactory;

	/**
	 * Create a factory bean.
	 * @param type the task interface
	 */
	public TaskInterfaceFactoryBean(Class<T> type) {
		this.type = type;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public T getObject() {
		BeanFactory beans = this.beanFactory;
		if (beans == null) {
			throw new IllegalStateException("No bean factory to find the TaskClient of task interface " + this.type);
		}
		TaskInterfaceFactory factory = beans.getBeanProvider(TaskInterfaceFactory.class)
			.getIfAvailable(() -> new TaskInterfaceFactory(beans.getBean(TaskClient.class)));
		return factory.createClient(this.type);
	}

	@Override
	public Class<T> getObjectType() {
		return this.type;
	}

}
