import { sizeInWords } from './format.js';
import { h, uid } from './dom.js';
import { documentIdsOf, type PlannedField } from './schema-form.js';
import { authHeaders } from './session.js';

/** What the server keeps of an upload (POST /api/documents). */
export interface UploadedDocument {
  documentId: string;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
  download: string;
}

/** The types the server accepts (it decides by content; this only narrows the browser's chooser). */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,application/pdf,image/*';


/**
 * Sends one file as the request body, reporting progress: fetch cannot tell upload progress, so
 * XMLHttpRequest. The session cookie signs it in; the CSRF header is the session's.
 */
function upload(file: File, onProgress: (fraction: number) => void): Promise<UploadedDocument> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/documents?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('accept-language', 'zh-CN');
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.addEventListener('progress', (event) => event.lengthComputable && onProgress(event.loaded / event.total));
    request.addEventListener('load', () => {
      let answer: { message?: string } & Partial<UploadedDocument> = {};
      try {
        answer = JSON.parse(request.responseText) as typeof answer;
      } catch {
        // An answer that is not JSON: the status says enough.
      }
      if (request.status === 201 && answer.documentId) resolve(answer as UploadedDocument);
      else reject(new Error(answer.message ?? `上传没有成功（错误代码 ${request.status}），请重试`));
    });
    request.addEventListener('error', () => reject(new Error('网络错误，上传没有完成，请重试')));
    request.send(file);
  });
}

/**
 * The control of a documents field (cases/fields.ts documentReferences): choose files, each is
 * uploaded at once with its progress shown, and the field's hidden input holds the uploaded ids,
 * which the form's body reads (schema-form.ts bodyOf). A file the server refuses says why in place.
 */
export function documentPicker(p: PlannedField): HTMLElement {
  const id = uid('docs');
  const ids: string[] = documentIdsOf(p.value);
  const hidden = h('input', { type: 'hidden', name: p.name, value: JSON.stringify(ids) });
  const list = h('ul', { class: 'document-list', 'aria-live': 'polite' });
  // The browser's own chooser names its button in the browser's language: ours says it in Chinese.
  const chooser = h('input', { type: 'file', multiple: true, accept: ACCEPT, id, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
  // Its id is where the field's error link moves focus (forms.ts showErrors).
  const choose = h('button', { type: 'button', class: 'button', id: `${id}-choose`, 'aria-describedby': `${id}-hint` }, '选择文件…');
  choose.addEventListener('click', () => chooser.click());
  // Files on their way and files refused keep the form from being sent (schema-form.ts documentsProblem).
  let uploading = 0;
  let refused = 0;
  const sync = () => {
    hidden.value = JSON.stringify(uploading || refused ? { ids, uploading, refused } : ids);
    hidden.dispatchEvent(new Event('change', { bubbles: true }));
  };
  chooser.addEventListener('change', () => {
    for (const file of [...(chooser.files ?? [])]) {
      const progress = h('progress', { max: 1, value: 0, 'aria-label': `${file.name} 上传进度` });
      const state = h('span', { class: 'muted small' }, '正在上传…');
      const item = h('li', { class: 'document-item', 'data-document-name': file.name }, h('span', { class: 'document-name' }, file.name), ' ', h('span', { class: 'muted small' }, sizeInWords(file.size)), ' ', progress, ' ', state);
      list.append(item);
      uploading += 1;
      sync();
      upload(file, (fraction) => (progress.value = fraction)).then(
        (doc) => {
          uploading -= 1;
          ids.push(doc.documentId);
          sync();
          progress.remove();
          const remove = h('button', { type: 'button', class: 'button link' }, '移除');
          remove.addEventListener('click', () => {
            ids.splice(ids.indexOf(doc.documentId), 1);
            sync();
            item.remove();
          });
          item.dataset.documentId = doc.documentId;
          // No hash in hex here: the case page shows it to officials and auditors, who check files with it.
          state.replaceChildren('已上传 ', remove);
        },
        (error: Error) => {
          uploading -= 1;
          refused += 1;
          sync();
          progress.remove();
          item.classList.add('document-refused');
          // Not a field-error: a form's errors are cleared on every submit, and this reason is the file's, until it is removed.
          state.className = 'document-refusal';
          state.setAttribute('role', 'alert');
          state.textContent = error.message;
          const remove = h('button', { type: 'button', class: 'button link' }, '移除');
          remove.addEventListener('click', () => {
            refused -= 1;
            sync();
            item.remove();
          });
          item.append(' ', remove);
        },
      );
    }
    chooser.value = '';
  });
  return h(
    'fieldset',
    { class: 'field field-documents', 'data-field': p.name },
    h('legend', {}, p.label),
    h('p', { class: 'hint', id: `${id}-hint` }, p.hint ?? 'PDF、图片或 Office 文档'),
    choose,
    chooser,
    hidden,
    list,
    h('p', { class: 'field-error', hidden: true }),
  );
}
