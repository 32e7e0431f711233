import { z } from 'zod';
import { ATTACHMENT_MAX_BASE64 } from './attachments.js';
import { MESSAGE_MAX_CHARS } from './messages.js';

// The parts of a message as the page posts them, shared by the patient's messages and the care team's replies.

export const messageText = z
  .string()
  .trim()
  .min(1, 'Write your message before sending it.')
  .max(
    MESSAGE_MAX_CHARS,
    'The message is longer than 10,000 characters. Please shorten it, or attach a longer letter as a PDF.',
  );

export const attachmentInput = z
  .object({
    name: z
      .string()
      .min(1, 'An attachment needs its file name.')
      .max(255, 'A file name may be at most 255 characters.'),
    data: z.string().max(ATTACHMENT_MAX_BASE64 + 4096, 'An attachment is larger than 10 MB.'),
  })
  .strict();
