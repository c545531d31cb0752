// The demo chat: shows what the bot sent to this browser's demo user, sends what they type or tap.
"use strict";

const chat = document.getElementById("chat");
const keyboard = document.getElementById("keyboard");
let shown = "";

async function call(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function post(path, body) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }).then(render);
}

function buttonRows(rows, onPress) {
  const box = document.createElement("div");
  for (const row of rows) {
    const line = document.createElement("div");
    for (const label of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => onPress(label));
      line.appendChild(button);
    }
    box.appendChild(line);
  }
  return box;
}

function render(state) {
  const fingerprint = JSON.stringify(state);
  if (fingerprint === shown) return;
  shown = fingerprint;
  chat.replaceChildren();
  for (const message of state.messages) {
    const bubble = document.createElement("div");
    bubble.className = `bubble ${message.who}`;
    bubble.textContent = message.text;
    if (message.buttons && message.buttons.length) {
      const buttons = buttonRows(message.buttons, (label) => post("/demo/press", { text: label }));
      buttons.className = "buttons";
      bubble.appendChild(buttons);
    }
    chat.appendChild(bubble);
  }
  keyboard.replaceChildren(buttonRows(state.keyboard || [], (label) => post("/demo/press", { text: label })));
  chat.scrollTop = chat.scrollHeight;
}

document.getElementById("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  post("/demo/send", { text });
});

document.getElementById("photo").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  render(await call("/demo/photo", { method: "POST", headers: { "Content-Type": file.type }, body: file }));
  event.target.value = "";
});

async function refresh() {
  try {
    render(await call("/demo/chat"));
  } catch (error) {
    console.warn(error);
  }
}

refresh().then(() => {
  if (!shown.includes('"who":"bot"')) post("/demo/send", { text: "/start" });
});
setInterval(refresh, 2000);
