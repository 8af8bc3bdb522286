import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { applyDocumentLanguage } from "./lib/i18n/index.svelte";

applyDocumentLanguage();
mount(App, { target: document.getElementById("app")! });
