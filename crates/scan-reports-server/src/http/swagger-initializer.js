// Swagger UI's start, served as /docs/swagger-initializer.js in place of
// the one Swagger UI ships (see docs.rs).
//
// It reads the hand-authored contract from /openapi.json, and lists its
// OpenAPI 3.1.0 rendition, /openapi-3.1.json, beside it. Each document's
// `servers` names the reference server at its default address; the server
// that serves this page is put first, so that "Try it out" calls it
// wherever it listens, and the documented servers stay in the list.
"use strict";

window.onload = () => {
  // The source (3.0.3) and its 3.1.0 rendition: one contract, two dialects.
  const documents = [
    { url: new URL("/openapi.json", window.location.href).href, name: "OpenAPI 3.0.3 (the source)" },
    { url: new URL("/openapi-3.1.json", window.location.href).href, name: "OpenAPI 3.1.0 (its rendition)" },
  ];
  const documentUrls = documents.map((source) => source.url);
  const thisServer = window.location.origin;

  window.ui = SwaggerUIBundle({
    urls: documents,
    "urls.primaryName": documents[0].name,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    // The top bar picks one of the two documents. No online validator
    // badge: nothing leaves the host.
    layout: "StandaloneLayout",
    validatorUrl: "none",
    responseInterceptor: (response) => {
      if (!documentUrls.includes(response.url) || !response.ok) return response;
      const contract = JSON.parse(response.text);
      const servers = contract.servers || [];
      if (!servers.some((server) => server.url.replace(/\/+$/, "") === thisServer)) {
        contract.servers = [{ url: thisServer, description: "The server of this page" }, ...servers];
      }
      response.text = response.data = JSON.stringify(contract);
      response.body = response.obj = contract;
      return response;
    },
    onComplete: () => {
      const { title, version } = window.ui.specSelectors.info().toJS();
      document.title = `${title} ${version}`;
    },
  });
};
