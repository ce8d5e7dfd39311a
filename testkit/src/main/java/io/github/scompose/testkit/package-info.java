/** A fake Singularity/Apptainer runtime with the real CLI's behaviour, and a JUnit 5 extension. */
package io.github.scompose.testkit;
