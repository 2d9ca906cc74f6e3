// Render GraphiQL into #graphiql. The endpoint and the default query come
// from data attributes that the server writes into index.html, so this file
// stays static and the page needs no inline script.
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
    })
  );
})();
