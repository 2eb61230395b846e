/**
 * The Python side of the interoperability tests: Debian's Celery, its workers and client
 * scripts.
 */
@NullMarked
package dev.taskqueue.interop;

import org.jspecify.annotations.NullMarked;
