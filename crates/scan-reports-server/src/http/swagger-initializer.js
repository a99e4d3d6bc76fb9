// Swagger UI's start, served as /docs/swagger-initializer.js in place of
// the one Swagger UI ships (see docs.rs).
//
// It reads the hand-authored contract from /openapi.json. The document's
// `servers` names the reference server at its default address; the server
// that serves this page is put first, so that "Try it out" calls it
// wherever it listens, and the documented servers stay in the list.
"use strict";

window.onload = () => {
  const documentUrl = new URL("/openapi.json", window.location.href).href;
  const thisServer = window.location.origin;

  window.ui = SwaggerUIBundle({
    url: documentUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    // No top bar: it offers to load any document by URL, and this page
    // shows one. No online validator badge either: nothing leaves the host.
    layout: "BaseLayout",
    validatorUrl: "none",
    responseInterceptor: (response) => {
      if (response.url !== documentUrl || !response.ok) return response;
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
