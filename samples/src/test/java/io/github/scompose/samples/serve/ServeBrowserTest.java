package io.github.scompose.samples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages of {@code scompose serve} in a real browser: Debian's headless {@code chromium} driven
 * through {@code chromedriver} by Selenium, on the fake runtime. Opens the home page, opens the
 * hello-name image, fills the typed form, runs it, and reads the formatted JSON result; keeps a
 * screenshot at {@code <build>/serve-screenshots/serve-image.png}. Skips, with a notice, where
 * {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is absent ({@code .ci/run} installs
 * both where it can).
 */
class ServeBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path temp;

  @Test
  void runsAnImageFromItsPage() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "SKIPPED: the browser test needs Debian's chromium and chromium-driver"
            + " (/usr/bin/chromium, /usr/bin/chromedriver; apt-get install chromium"
            + " chromium-driver); the pages were not checked in a browser");
    try (ServeFixture fixture = new ServeFixture(temp);
        ImageServer server =
            ImageServer.builder()
                .catalog(fixture.catalog(2, Duration.ofSeconds(30)))
                .port(0)
                .build()
                .start()) {
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium-profile")),
          "--window-size=1100,1000");
      WebDriver browser = new ChromeDriver(service, options);
      try {
        browser.manage().window().setSize(new Dimension(1100, 1000));
        browser.get(server.uri().toString());
        assertEquals("Singularity images · scompose serve", browser.getTitle());
        browser.findElement(By.linkText("hello-name.sif")).click();
        assertEquals("hello-name.sif", browser.findElement(By.tagName("h1")).getText());
        assertEquals(
            "***",
            browser
                .findElement(By.xpath("//table[@id='labels']//tr[td[1]='API_TOKEN']/td[2]"))
                .getText());

        browser.findElement(By.id("arg-name")).sendKeys("Vanessa");
        browser.findElement(By.id("arg-age")).sendKeys("10");
        browser.findElement(By.id("arg-weight")).sendKeys("72.5");
        browser.findElement(By.id("arg-is_dino")).click();
        browser.findElement(By.id("run")).click();

        WebElement result = browser.findElement(By.id("result"));
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .until(
                d ->
                    !"running".equals(result.getAttribute("data-state"))
                        && !"idle".equals(result.getAttribute("data-state")));
        assertEquals("done", result.getAttribute("data-state"), result.getText());
        JsonNode output = new ObjectMapper().readTree(result.getText());
        assertEquals("hello Vanessa!", output.get("name").asText());
        assertEquals(10, output.get("age").asInt());
        assertEquals(72.5, output.get("weight").asDouble());
        assertEquals("You are a dinosaur! :D", output.get("species").asText());
        assertTrue(result.getText().contains("\n  \"name\": \"hello Vanessa!\""), "formatted JSON");
        assertTrue(
            browser.findElement(By.id("status")).getText().startsWith("Exit code 0"),
            browser.findElement(By.id("status")).getText());

        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path dir = Files.createDirectories(buildDirectory().resolve("serve-screenshots"));
        Files.copy(
            shot.toPath(), dir.resolve("serve-image.png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
      }
    }
  }

  /** The module's build folder (where test-classes is), e.g. {@code samples/target}. */
  private static Path buildDirectory() throws Exception {
    Path classes =
        Path.of(ServeBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return classes.getParent();
  }
}
