// The dashboard page for bureau staff: pure, from the county and station reports to one HTML document.
export { escapeText, type Html, html } from "./Html.ts"
export { type Month, months, type Page, projection, render, renderPage, type State, view } from "./Page.ts"
export { InvalidQuery, parsePeriod, parseQuery, type Query } from "./Query.ts"
