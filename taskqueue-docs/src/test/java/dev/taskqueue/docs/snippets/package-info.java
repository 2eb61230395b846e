/**
 * The Java code the documentation shows, compiled by every build against the starter: one
 * package a page, regions marked {@code // tag::name[]} ... {@code // end::name[]}. They
 * are compiled, not run (many need a broker and Redis); changing one means running the
 * docs module's tests with {@code -Dtaskqueue.docs.update=true} to copy it into its page.
 */
package dev.taskqueue.docs.snippets;
