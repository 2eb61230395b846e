package dev.taskqueue.client.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.client.ImportTaskInterfaces;
import dev.taskqueue.client.TaskExchange;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean per task interface that {@link ImportTaskInterfaces} names or finds.
 */
public final class TaskInterfacesRegistrar
		implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, @Nullable Object> attributes = metadata
			.getAnnotationAttributes(ImportTaskInterfaces.class.getName(), true);
		if (attributes == null) {
			return;
		}
		Set<String> types = new LinkedHashSet<>();
		addAll(types, (String[]) attributes.get("value"));
		addAll(types, (String[]) attributes.get("types"));
		Set<String> packages = new LinkedHashSet<>();
		for (String basePackage : (String[]) attributes.get("basePackages")) {
			packages.add(basePackage);
		}
		for (String basePackageClass : (String[]) attributes.get("basePackageClasses")) {
			packages.add(ClassUtils.getPackageName(basePackageClass));
		}
		if (types.isEmpty() && packages.isEmpty()) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		ClassPathScanningCandidateComponentProvider scanner = scanner();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				types.add(candidate.getBeanClassName());
			}
		}
		ClassLoader classLoader = (this.resourceLoader != null) ? this.resourceLoader.getClassLoader() : null;
		for (String typeName : types) {
			Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
			if (!type.isInterface()) {
				throw new IllegalStateException("@ImportTaskInterfaces on " + metadata.getClassName() + " names "
						+ typeName + ", which is not an interface");
			}
			String beanName = type.getName();
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(type));
			}
		}
	}

	private static void addAll(Set<String> types, String @Nullable [] names) {
		if (names != null) {
			for (String name : names) {
				types.add(name);
			}
		}
	}

	private static RootBeanDefinition definition(Class<?> type) {
		RootBeanDefinition definition = new RootBeanDefinition(TaskInterfaceFactoryBean.class);
		definition.setTargetType(ResolvableType.forClassWithGenerics(TaskInterfaceFactoryBean.class, type));
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, type);
		// An application that imports an interface calls through it, also when a worker
		// bean of its own implements it: that one is still injected by its class.
		definition.setPrimary(true);
		return definition;
	}

	private ClassPathScanningCandidateComponentProvider scanner() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				(this.environment != null) ? this.environment
						: new org.springframework.core.env.StandardEnvironment()) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent()
						&& !definition.getMetadata().isAnnotation();
			}

		};
		if (this.resourceLoader != null) {
			scanner.setResourceLoader(this.resourceLoader);
		}
		scanner.addIncludeFilter(new AnnotationTypeFilter(TaskExchange.class, false, false));
		return scanner;
	}

	/**
	 * Return the task interface a bean definition registered by this registrar makes a
	 * bean of.
	 * @param definition a bean definition
	 * @return the task interface, or {@code null} if the definition is not of one
	 */
	public static @Nullable Class<?> taskInterfaceOf(BeanDefinition definition) {
		ResolvableType type = definition.getResolvableType();
		if (!TaskInterfaceFactoryBean.class.isAssignableFrom(type.toClass())) {
			return null;
		}
		return type.as(TaskInterfaceFactoryBean.class).getGeneric(0).resolve();
	}

}
