// The demo chat: shows what the bot sent to this browser's demo user, sends what they type or tap.
"use strict";

const chat = document.getElementById("chat");
const keyboard = document.getElementById("keyboard");
const toast = document.getElementById("toast");
let shown = "";
let toastsSeen = null;
const LIMIT = 4096; // Telegram's limit for one message // toasts of earlier visits are not shown again

// What the phone app itself says, in the language of the browser (Indonesian unless English).
const SAYS = navigator.language.startsWith("en")
  ? {
      too_long: (limit) => `This message is too long: at most ${limit} characters. Please send it in parts.`,
      not_a_picture: "This file is not a picture. Send a photo (JPEG, PNG, WebP, GIF).",
      too_big: "This picture is too big (10 MB at most).",
      failed: "Not sent: please try again.",
    }
  : {
      too_long: (limit) => `Pesan ini terlalu panjang: paling banyak ${limit} huruf. Silakan kirim dalam beberapa bagian.`,
      not_a_picture: "File ini bukan gambar. Kirim foto (JPEG, PNG, WebP, GIF).",
      too_big: "Gambar ini terlalu besar (paling besar 10 MB).",
      failed: "Tidak terkirim: silakan coba lagi.",
    };

class Refused extends Error {
  constructor(status, body) {
    super(`refused: ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Refused(response.status, await response.json().catch(() => ({})));
  return response.json();
}

function showToast(text) {
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => { toast.hidden = true; }, 2500);
}

// What the person sends leaves in the order sent, each after the last was taken, as from a
// phone: a photo chosen right after a menu tap must not overtake the tap.
let sending = Promise.resolve();
function send(path, options) {
  const sent = sending.then(() => call(path, options));
  sending = sent.catch(() => {});
  return sent;
}

function post(path, body) {
  return send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }).then(render);
}

function buttonRows(rows, onPress) {
  const box = document.createElement("div");
  box.className = "rows";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
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

function press(label) {
  post("/demo/press", { text: label }).catch(() => showToast(SAYS.failed));
}

function render(state) {
  const toasts = state.toasts || [];
  if (toastsSeen !== null && toasts.length > toastsSeen) showToast(toasts[toasts.length - 1]);
  toastsSeen = toasts.length;
  const fingerprint = JSON.stringify(state);
  if (fingerprint === shown) return;
  shown = fingerprint;
  chat.replaceChildren();
  for (const message of state.messages) {
    const bubble = document.createElement("div");
    bubble.className = `bubble ${message.who}`;
    bubble.textContent = message.text;
    if (message.buttons && message.buttons.length) {
      const buttons = buttonRows(message.buttons, press);
      buttons.classList.add("buttons");
      bubble.appendChild(buttons);
    }
    chat.appendChild(bubble);
  }
  keyboard.replaceChildren(buttonRows(state.keyboard || [], press));
  chat.scrollTop = chat.scrollHeight;
}

document.getElementById("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  if (!text) return;
  if (text.length > LIMIT) {
    showToast(SAYS.too_long(LIMIT)); // kept in the box, to shorten or split
    return;
  }
  input.value = "";
  post("/demo/send", { text }).catch((error) => {
    input.value = text; // nothing typed is lost
    showToast(error.body && error.body.detail === "too_long" ? SAYS.too_long(error.body.limit) : SAYS.failed);
  });
});

document.getElementById("photo").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    render(await send("/demo/photo", { method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file }));
  } catch (error) {
    showToast(error.status === 422 ? SAYS.not_a_picture : error.status === 413 ? SAYS.too_big : SAYS.failed);
  }
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
