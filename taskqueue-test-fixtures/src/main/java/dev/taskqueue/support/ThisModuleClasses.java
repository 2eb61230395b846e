package dev.taskqueue.support;

import java.nio.file.Path;
import java.util.Set;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;

/**
 * The production classes of the module whose tests run ({@code target/classes}), for
 * {@code @AnalyzeClasses(locations = ThisModuleClasses.class)}: not its tests, not the
 * classes of other modules nor those of this fixtures module, which share package names
 * with them, and no scan of the class path.
 */
public final class ThisModuleClasses implements LocationProvider {

	@Override
	public Set<Location> get(Class<?> testClass) {
		// Surefire runs the tests in the module's directory and says which it is.
		Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
		return Set.of(Location.of(module.resolve("target/classes").toAbsolutePath()));
	}

}
