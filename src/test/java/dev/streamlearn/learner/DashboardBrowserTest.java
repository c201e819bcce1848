package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.diagnosis.Scenario;
import dev.streamlearn.monitor.DashboardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard fed by a real run (the first 2,000 MNIST samples of the deep-tanh scenario), drawn by headless
 * Chromium: charts, heatmaps and the alert, plus /metrics parsed as Prometheus text. Skipped where Debian's
 * chromium and chromium-driver are not installed (.ci/run installs them).
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path profile;

    @Test
    @DisplayName("a real run's summaries render in the browser; /metrics parses; writes are refused")
    void dashboardRendersARealRun() throws Exception {
        Path dir = Path.of("data", "mnist");
        MnistFetcher.fetch(dir);
        Mnist train = Mnist.load(dir, Mnist.Split.TRAIN);
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(Scenario.SEED001_DEEP_TANH.config().build()),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("dashboard-test", "mnist.train", 30),
                () -> null);
        try (DashboardServer dashboard = DashboardServer.start("127.0.0.1:0")) {
            for (int i = 0; i < 2_000; i++) {
                TrainingLoop.Result result = loop.train(train.image(i), train.labels()[i], 0, i, 0);
                if (result.summary() != null) {
                    dashboard.publish(result.summary());
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, String> samples = metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                            line -> line.substring(line.lastIndexOf(' ') + 1)));
            assertEquals(2000.0, Double.parseDouble(samples.get("streamlearn_step")));
            assertEquals(1.0, Double.parseDouble(samples.get(
                    "streamlearn_alert_active{rule=\"vanishing-gradients\",severity=\"warning\"}")), metrics);
            assertEquals(0.0, Double.parseDouble(samples.get(
                    "streamlearn_alert_active{rule=\"plateau\",severity=\"info\"}")), metrics);
            assertTrue(samples.containsKey("streamlearn_update_ratio{tensor=\"W1\"}"), metrics);
            assertEquals(405, http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());
            assertEquals(413, http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                    .method("GET", HttpRequest.BodyPublishers.ofString("a body")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                    "Debian's chromium and chromium-driver are not installed");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                    "--window-size=1300,1100",
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get(dashboard.uri().toString());
                JavascriptExecutor js = browser;
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> ((Number) js.executeScript(
                        "return window.streamlearn.points")).intValue() == 20);
                assertEquals(3L, js.executeScript("return window.streamlearn.charts"));
                assertEquals(3, browser.findElements(By.cssSelector(".uplot canvas")).size());
                Number painted = (Number) js.executeScript("const c = document.getElementById('weightHeat');"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] !== 255 || d[i + 1] !== 255) n++; }"
                        + "return n;");
                assertTrue(painted.intValue() > 1000, "weight heatmap painted pixels: " + painted);
                String alerts = browser.findElement(By.id("alerts")).getText();
                assertTrue(alerts.contains("vanishing-gradients warning") && alerts.contains("fix:"), alerts);
                assertTrue(browser.findElement(By.id("status")).getText().contains("step 2,000"),
                        browser.findElement(By.id("status")).getText());
                // For people: what the page looked like, in target/ next to the test reports.
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }
}
