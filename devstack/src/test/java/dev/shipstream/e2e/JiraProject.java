package dev.shipstream.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

/**
 * The Jira Cloud project {@code APP} of the example {@code 3-jira-release.json}, as a stub: versions 1.101.0 (the
 * one the App Store Connect fixture releases) and 1.102.0; issues APP-1 (To Do) and APP-2 (In Progress) and APP-3
 * (already Done) with fixVersion 1.101.0, and APP-9 with fixVersion 1.102.0, which the search only returns when asked
 * for that version. Every issue's workflow offers "Start" (to In Progress) and "Done" (to Done, category done).
 */
final class JiraProject {

    static final RequestPatternBuilder RELEASE_VERSION = putRequestedFor(urlEqualTo("/rest/api/3/version/10100"));

    private JiraProject() {
    }

    static void stub(WireMockServer jira) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/project/APP/versions")).willReturn(okJson("""
                [{"id":"10100","name":"1.101.0","released":false,"projectId":10000},
                 {"id":"10101","name":"1.102.0","released":false,"projectId":10000}]""")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(containing("1.101.0"))
                .willReturn(okJson("""
                {"issues":[%s,%s,%s],"isLast":true}""".formatted(issue("APP-1", "To Do", "new"),
                        issue("APP-2", "In Progress", "indeterminate"), issue("APP-3", "Done", "done")))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(containing("1.102.0"))
                .willReturn(okJson("""
                {"issues":[%s],"isLast":true}""".formatted(issue("APP-9", "To Do", "new")))));
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/APP-[0-9]+/transitions")).willReturn(okJson("""
                {"transitions":[
                  {"id":"11","name":"Start","to":{"name":"In Progress","statusCategory":{"key":"indeterminate"}}},
                  {"id":"31","name":"Done","to":{"name":"Done","statusCategory":{"key":"done"}}}]}""")));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/APP-[0-9]+/transitions"))
                .willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/APP-[0-9]+/comment"))
                .willReturn(okJson("{\"id\":\"10500\"}").withStatus(201)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/version/10100"))
                .willReturn(okJson("{\"id\":\"10100\",\"name\":\"1.101.0\",\"released\":true}")));
    }

    private static String issue(String key, String status, String category) {
        return """
                {"id":"%s","key":"%s","fields":{"status":{"name":"%s","statusCategory":{"key":"%s"}}}}"""
                .formatted(key.substring(4), key, status, category);
    }

    /**
     * Exactly APP-1 and APP-2 were moved, once each, by the transition to Done, and commented once each; APP-3 (done
     * already) and APP-9 (another version) were not touched; version 1.101.0 was released once, 1.102.0 never.
     */
    static void assertReleasedOnce(WireMockServer jira) {
        for (String key : new String[] {"APP-1", "APP-2"}) {
            assertThat(jira.findAll(postRequestedFor(urlEqualTo("/rest/api/3/issue/" + key + "/transitions"))))
                    .as(key + " moved once").singleElement()
                    .satisfies(r -> assertThat(r.getBodyAsString()).contains("\"31\""));
            assertThat(jira.findAll(postRequestedFor(urlEqualTo("/rest/api/3/issue/" + key + "/comment"))))
                    .as(key + " commented once").hasSize(1);
        }
        for (String key : new String[] {"APP-3", "APP-9"}) {
            assertThat(jira.findAll(postRequestedFor(urlPathMatching("/rest/api/3/issue/" + key + "/.*"))))
                    .as(key + " untouched").isEmpty();
        }
        assertThat(jira.findAll(RELEASE_VERSION)).singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("\"released\":true", "releaseDate"));
        assertThat(jira.findAll(putRequestedFor(urlEqualTo("/rest/api/3/version/10101")))).isEmpty();
    }
}
