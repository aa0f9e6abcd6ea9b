import { describe, expect, it } from "vitest";
import {
  inputFile,
  inputImage,
  inputText,
  inputVideo,
  SpecValidationError,
  userMessage,
  validate,
} from "../../src/index.js";

describe("inputText", () => {
  it("builds an input_text part", () => {
    expect(inputText("hi")).toEqual({ type: "input_text", text: "hi" });
    expect(validate("InputTextContentParam", inputText("hi"))).toEqual({ valid: true });
  });

  it("rejects a non-string", () => {
    expect(() => inputText(5 as unknown as string)).toThrow(SpecValidationError);
  });
});

describe("inputImage (I3)", () => {
  it("by URL, without detail", () => {
    const part = inputImage("https://example.com/a.png");
    expect(part).toEqual({ type: "input_image", image_url: "https://example.com/a.png" });
    expect(validate("InputImageContentParamAutoParam", part)).toEqual({ valid: true });
  });

  it("by data URL, with each detail level", () => {
    for (const detail of ["low", "high", "auto"] as const) {
      const part = inputImage("data:image/png;base64,iVBORw0KGgo=", { detail });
      expect(part.detail).toBe(detail);
      expect(validate("InputImageContentParamAutoParam", part)).toEqual({ valid: true });
    }
  });

  it("rejects an empty URL and an unknown detail", () => {
    expect(() => inputImage("")).toThrow(/image_url: must be a non-empty URL or data URL/);
    expect(() => inputImage("https://x", { detail: "max" as "low" })).toThrow(/detail: must be one of/);
  });
});

describe("inputFile (I3)", () => {
  it("by URL, with an optional filename", () => {
    expect(inputFile({ url: "https://example.com/r.pdf" })).toEqual({
      type: "input_file",
      file_url: "https://example.com/r.pdf",
    });
    const named = inputFile({ url: "https://example.com/r.pdf", filename: "r.pdf" });
    expect(named.filename).toBe("r.pdf");
    expect(validate("InputFileContentParam", named)).toEqual({ valid: true });
  });

  it("by base64 data: sent as a data URL with the media type from the filename", () => {
    const part = inputFile({ data: "JVBERi0xLjQK", filename: "report.pdf" });
    expect(part).toEqual({
      type: "input_file",
      filename: "report.pdf",
      file_data: "data:application/pdf;base64,JVBERi0xLjQK",
    });
    expect(validate("InputFileContentParam", part)).toEqual({ valid: true });
    expect(validate("ItemParam", userMessage([part]))).toEqual({ valid: true });
  });

  it("an explicit mimeType wins; an unknown extension falls back to octet-stream", () => {
    expect(inputFile({ data: "aGk=", filename: "notes.txt", mimeType: "text/x-custom" }).file_data).toBe(
      "data:text/x-custom;base64,aGk=",
    );
    expect(inputFile({ data: "aGk=", filename: "blob.bin" }).file_data).toBe(
      "data:application/octet-stream;base64,aGk=",
    );
  });

  it("encodes raw bytes (Uint8Array or ArrayBuffer) as base64", () => {
    const bytes = new TextEncoder().encode("hello");
    expect(inputFile({ data: bytes, filename: "h.txt" }).file_data).toBe("data:text/plain;base64,aGVsbG8=");
    expect(inputFile({ data: bytes.buffer as ArrayBuffer, filename: "h.txt" }).file_data).toBe(
      "data:text/plain;base64,aGVsbG8=",
    );
  });

  it("encodes large byte arrays without overflowing the stack, losslessly", () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 256);
    const dataUrl = inputFile({ data: bytes, filename: "big.bin" }).file_data!;
    const decoded = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
    expect(decoded.equals(Buffer.from(bytes))).toBe(true);
  });

  it("keeps data that is already a data URL, and strips whitespace from wrapped base64", () => {
    expect(inputFile({ data: "data:application/pdf;base64,AAAA", filename: "a.pdf" }).file_data).toBe(
      "data:application/pdf;base64,AAAA",
    );
    expect(inputFile({ data: "aGVs\nbG8=", filename: "a.txt" }).file_data).toBe(
      "data:text/plain;base64,aGVsbG8=",
    );
  });

  it("rejects text that is not base64, a missing filename, and an empty source", () => {
    expect(() => inputFile({ data: "plain text!", filename: "a.txt" })).toThrow(/file_data: must be base64/);
    expect(() => inputFile({ data: "aGk=", filename: "" })).toThrow(/filename: is required with inline data/);
    expect(() => inputFile({} as { url: string })).toThrow(/pass \{ url \} or \{ data, filename \}/);
    expect(() => inputFile({ url: "" })).toThrow(SpecValidationError);
  });
});

describe("inputVideo", () => {
  it("builds an input_video part", () => {
    const part = inputVideo("https://example.com/v.mp4");
    expect(part).toEqual({ type: "input_video", video_url: "https://example.com/v.mp4" });
    expect(validate("InputVideoContent", part)).toEqual({ valid: true });
  });

  it("rejects an empty URL", () => {
    expect(() => inputVideo("")).toThrow(/video_url: must be a non-empty URL/);
  });
});
